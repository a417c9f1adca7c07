//! The mail pages list failed mails with their addresses: each showing of such a list is an
//! entry, with how many addresses and none of them.

use std::collections::HashMap;

use peil::accounts::Role;

use super::{WEB, mark, nothing_personal, the_one, who};
use crate::helpers::free_port;
use crate::mail::smtp::SmtpServer;
use crate::mail::support::{app, mailer, open};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_listing_failed_mail_with_addresses_writes_one_entry_without_them() {
    let (app, clock) = app().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let before = mark(&app).await;
    assert_eq!(admin.get("/beheer/mail").await.0, 200);
    assert!(super::since(&app, before).await.is_empty(), "no address shown, nothing logged");

    let server = SmtpServer::on(free_port());
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let round = open(&app, &clock, "crisisdienst", &["huisarts"]).await.round;
    mailer.run_once().await.expect("a run while the relay is down");
    let start = mark(&app).await;
    for path in ["/beheer/mail".to_owned(), format!("/beheer/mail/ronde/{round}"), "/beheer".to_owned()] {
        let before = mark(&app).await;
        assert_eq!(admin.get(&path).await.0, 200, "{path}");
        let entry = the_one(&app, before, "mail_addresses_viewed").await;
        assert_eq!(who(&entry), (Some("beheer@example.org"), Some("beheerder"), Some(WEB)), "{path}");
        assert_eq!(entry.subject.as_deref(), Some("mail met een fout: 3 adressen"), "{path}");
    }
    nothing_personal(&app, start, &[]).await;
}
