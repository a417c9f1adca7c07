//! The pages of two-step login, checked with axe and vnu: enrolling (QR code, secret, the wrong
//! first code), the recovery codes shown once, the account's page with it on (and a wrong code
//! to turn it off), and the login's code page with its error.

use peil::accounts::Role;
use totp_rs::{Builder, Secret};

use super::{Audit, Source, log_in};
use crate::helpers::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_two_step_login_pages_pass_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn().await;
    app.create_user("ada@example.org", Role::Admin).await;
    log_in(&audit.browser, &app.url, "ada@example.org").await;

    audit.browser.client().goto(&format!("{}/account/tweestaps", app.url)).await.expect("open");
    audit.check("tweestaps instellen", Source::Served).await;
    let enable = r#"form[action="/account/tweestaps/aanzetten"] button"#;
    audit.browser.type_into("#code", "000000").await;
    audit.click_through(enable).await;
    audit.check("tweestaps instellen, code fout", Source::Dom).await;

    let secret = audit.browser.script("return document.getElementById('secret').textContent;").await;
    let secret = Secret::try_from_base32(secret.as_str().unwrap().replace(' ', "")).unwrap();
    let totp = Builder::new().with_secret(secret).build().unwrap();
    audit.browser.type_into("#code", &totp.generate(app.now().timestamp() as u64).to_string()).await;
    audit.click_through(enable).await;
    audit.browser.wait_for_text("recovery-codes").await;
    audit.check("herstelcodes", Source::Dom).await;

    audit.browser.client().goto(&format!("{}/account/tweestaps", app.url)).await.expect("open");
    audit.check("tweestaps aan", Source::Served).await;
    audit.browser.type_into("#code", "000000").await;
    audit.click_through(r#"form[action="/account/tweestaps/uitzetten"] button"#).await;
    audit.check("tweestaps uitzetten, code fout", Source::Dom).await;

    audit.click_through(r#"form[action="/uitloggen"] button"#).await;
    audit.browser.client().goto(&format!("{}/inloggen", app.url)).await.expect("the login page");
    audit.browser.type_into("#email", "ada@example.org").await;
    audit.browser.type_into("#password", crate::helpers::PASSWORD).await;
    audit.click_through("button[type=submit]").await;
    audit.check("code invullen", Source::Served).await;
    audit.browser.type_into("#code", "000000").await;
    audit.click_through("button[type=submit]").await;
    audit.check("code invullen, fout", Source::Dom).await;
    audit.finish().await;
}
