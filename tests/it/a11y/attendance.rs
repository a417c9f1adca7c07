//! A session's attendance pages, checked with axe and vnu: the tablet page before the start
//! and with people ticked (its buttons at least 44 px high, for a finger at the door), the
//! presentielijst, the registers' page, and the start page with a register still owed.

use super::{Audit, Source, log_in};
use crate::attendance::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_attendance_pages_pass_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let mut desk = Desk::with(3).await;
    desk.details("poh01@example.org", "A.B.", "van den Berg", "01234567890", "PG-1").await;
    let url = desk.app.url.clone();
    audit.browser.client().set_window_size(1024, 768).await.expect("window size");
    log_in(&audit.browser, &url, "beheer@example.org").await;
    for (tail, name) in [
        ("/aanwezigheid", "aanwezigheid voor het begin"),
        ("/presentielijst", "presentielijst"),
        ("/register", "registers zonder aanwezigen"),
    ] {
        audit.browser.client().goto(&format!("{url}{}", desk.path(tail))).await.expect("open");
        audit.check(name, Source::Served).await;
    }

    desk.begin().await;
    log_in(&audit.browser, &url, "beheer1@example.org").await;
    audit.browser.client().goto(&format!("{url}{}", desk.path("/aanwezigheid"))).await.expect("open");
    audit.click_through("ul.attendance li:first-child button[type=submit]").await;
    audit.browser.wait_for_text("1 van 3 aanwezig").await;
    let smallest = "return Math.min(...[...document.querySelectorAll('main button')]
                      .map(b => b.getBoundingClientRect().height));";
    let height = audit.browser.script(smallest).await.as_f64().expect("a height");
    assert!(height >= 44.0, "a touch target of {height} px");
    audit.check("aanwezigheid met een vinkje", Source::Served).await;
    audit.click_through("form.attendance-all button[type=submit]").await;
    audit.browser.wait_for_text("3 van 3 aanwezig").await;
    for (path, name) in [(desk.path("/register"), "registers"), ("/beheer".to_owned(), "start met registers")]
    {
        audit.browser.client().goto(&format!("{url}{path}")).await.expect("open");
        audit.check(name, Source::Served).await;
    }
    audit.finish().await;
}
