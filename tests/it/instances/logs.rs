//! Everything a person hands peil, run through a `peil serve` that logs at `debug` (what an
//! operator sets to find a problem): personal links and near misses of them, answers accepted and
//! refused, a password link, passwords right and wrong, the session cookie, and invitation mails
//! sent to a real SMTP server. None of it appears in the log. Nor does a personal link's token or
//! an answer page's handle, whatever method or path shape a mail scanner or a person sends.

use peil::rounds::{self, RoundId};

use super::{Cluster, within};
use crate::helpers::{PASSWORD, forms_dir, location};
use crate::mail::smtp::SmtpServer;

const FORM: &str = r#"
title = "Logproef"

[[pages]]
title = "Een vraag"

[[pages.questions]]
id = "opmerking"
type = "textarea"
label = "Opmerking"
max_length = 40
required = true
"#;

/// Answers that only this test writes, so finding them anywhere in the log is a leak.
const ANSWER: &str = "Vertrouwelijk-antwoord-7Q2X";
const REFUSED: &str = "Geweigerd-antwoord-9K4Z dat langer is dan de veertig tekens die mogen";
const WRONG_PASSWORD: &str = "fout-wachtwoord-3M8V";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_password_answer_or_mail_body_reaches_a_debug_log() {
    let server = SmtpServer::started().await;
    let forms = forms_dir(&[("logproef", FORM)]);
    let mut cluster = Cluster::new()
        .env("PEIL_SMTP_URL", &server.url())
        .env("PEIL_MAIL_FROM", "GGZ-werkgroep <peil@example.org>");
    cluster.forms = forms.path().to_path_buf();
    let csv = cluster.write("contacts.csv", "naam;e-mail;rol\nAnna Jansen;anna@example.org;huisarts\n");
    cluster.run(&["contacts", "import", &csv]);
    cluster.run(&["round", "open", "--form", "logproef", "--closes", "2099-12-31"]);
    let added = cluster.run(&["user", "add", "eva@example.org", "--role", "werkgroep"]);
    let password_token = added.trim().rsplit('/').next().expect("a password link").to_owned();
    let pool = cluster.pool().await;
    let link = rounds::links(&pool, &cluster.secret(), "", RoundId(1)).await.expect("links").remove(0).url;
    let token = link.trim_start_matches("/r/").to_owned();

    let mut instance = cluster.spawn_with("peil-debug", &[("PEIL_LOG", "debug")]);
    instance.wait_until_up(&reqwest::Client::new()).await;
    let url = instance.url.clone();
    within(30, "the invitation arrived", || {
        let arrived = server.received().len();
        async move { (arrived == 1).then_some(()) }
    })
    .await;
    let mail = server.received().remove(0).data;
    assert!(mail.contains("niet door"), "the mail body as sent: {mail}");

    // A respondent: a near miss of the link, the link, a refused answer, an accepted one.
    let person = client();
    let near_miss = format!("{}{}", &token[..token.len() - 1], if token.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(person.get(format!("{url}/r/{near_miss}")).send().await.unwrap().status(), 404);
    let opened = person.get(format!("{url}{link}")).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    let page = format!("{url}{}", location(&opened));
    let handle = page.rsplit('/').next().unwrap().to_owned();
    let cookie = opened.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let cookie_value = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    let send = |text: &'static str| {
        person.post(&page).form(&[("_page", "0"), ("opmerking", text), ("_nav", "submit")]).send()
    };
    assert_eq!(send(REFUSED).await.unwrap().status(), 422);
    assert_eq!(send(ANSWER).await.unwrap().status(), 200);

    // The werkgroep member: the password link, a wrong password, the right one.
    let member = client();
    let set = [("password", PASSWORD), ("repeat", PASSWORD)];
    let password_link = format!("{url}/wachtwoord/{password_token}");
    assert_eq!(member.post(&password_link).form(&set).send().await.unwrap().status(), 200);
    let wrong = [("email", "eva@example.org"), ("password", WRONG_PASSWORD)];
    assert_eq!(member.post(format!("{url}/inloggen")).form(&wrong).send().await.unwrap().status(), 422);
    let right = [("email", "eva@example.org"), ("password", PASSWORD)];
    let logged_in = member.post(format!("{url}/inloggen")).form(&right).send().await.unwrap();
    assert_eq!(logged_in.status(), 303);
    let session = logged_in.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let session = session.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    assert_eq!(member.get(format!("{url}/werkgroep")).send().await.unwrap().status(), 200);

    instance.kill();
    let log = instance.log();
    assert!(log.contains("DEBUG"), "the log is at debug level:\n{log}");
    assert!(log.lines().count() > 20, "the log saw the requests:\n{log}");
    let body_lines: Vec<&str> =
        mail.lines().map(str::trim).filter(|l| l.len() > 30 && !l.contains(':')).collect();
    assert!(!body_lines.is_empty(), "lines of the mail body to look for: {mail}");
    let secrets = [
        ("the personal link's token", token.as_str()),
        ("a near miss of it", near_miss.as_str()),
        ("the answer page's cookie", cookie_value.as_str()),
        ("an accepted answer", ANSWER),
        ("a refused answer", "Geweigerd-antwoord-9K4Z"),
        ("the password link's token", password_token.as_str()),
        ("the password", PASSWORD),
        ("a wrong password", WRONG_PASSWORD),
        ("the session cookie", session.as_str()),
    ];
    for (what, secret) in
        secrets.into_iter().chain(body_lines.iter().map(|l| ("a line of the mail body", *l)))
    {
        assert!(!log.contains(secret), "{what} ({secret}) is in the log:\n{log}");
    }
    // The answer page's address is not secret on its own (it needs the cookie), but is logged
    // only as far as it must be: whole, it would link the log's lines to one person.
    assert!(!log.contains(&handle), "the answer page's handle is in the log:\n{log}");
}

/// Every method a client may send, mail scanners' `HEAD` first among them.
const METHODS: [&str; 7] = ["HEAD", "OPTIONS", "GET", "POST", "PUT", "DELETE", "PATCH"];

/// The path shapes that reach a link's route, or nearly do, for a secret `s`.
fn shapes(prefix: &str, s: &str) -> Vec<String> {
    vec![
        format!("/{prefix}/{s}"),
        format!("//{prefix}/{s}"),
        format!("/{prefix}//{s}"),
        format!("/{prefix}/{s}/"),
        format!("/{prefix}/{s}/x"),
        format!("/{prefix}/{s}/afmelden"),
        format!("/{prefix}/{s}?x={s}"),
        format!("/x/{prefix}/{s}"),
        format!("/{prefix}%2F{s}"),
        format!("/health?{s}"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_method_or_path_shape_puts_a_token_or_an_answer_pages_handle_in_a_debug_log() {
    let forms = forms_dir(&[("logproef", FORM)]);
    let mut cluster = Cluster::new();
    cluster.forms = forms.path().to_path_buf();
    let csv = cluster.write("contacts.csv", "naam;e-mail;rol\nAnna Jansen;anna@example.org;huisarts\n");
    cluster.run(&["contacts", "import", &csv]);
    cluster.run(&["round", "open", "--form", "logproef", "--closes", "2099-12-31", "--anonymous"]);
    let pool = cluster.pool().await;
    let link = rounds::links(&pool, &cluster.secret(), "", RoundId(1)).await.expect("links").remove(0).url;
    let token = link.trim_start_matches("/r/").to_owned();
    let mut instance = cluster.spawn_with("peil-shapes", &[("PEIL_LOG", "debug")]);
    instance.wait_until_up(&reqwest::Client::new()).await;
    let url = instance.url.clone();

    // A mail scanner's HEAD: a harmless answer, and the link is not opened (no cookie).
    let scanner = client();
    let head = scanner.head(format!("{url}{link}")).send().await.unwrap();
    assert_eq!(head.status(), 200, "a HEAD of a personal link");
    assert!(head.headers().get("set-cookie").is_none(), "a HEAD opened the link");

    // The person answers the anonymous round.
    let person = client();
    let opened = person.get(format!("{url}{link}")).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    let handle = location(&opened).rsplit('/').next().unwrap().to_owned();
    let answer = [("_page", "0"), ("opmerking", ANSWER), ("_nav", "submit")];
    let sent = person.post(format!("{url}/antwoord/{handle}")).form(&answer).send().await.unwrap();
    assert_eq!(sent.status(), 200, "the anonymous answer is taken");

    let mut paths = shapes("r", &token);
    for prefix in ["antwoord", "setup", "wachtwoord"] {
        paths.extend(shapes(prefix, if prefix == "antwoord" { &handle } else { &token }));
    }
    for path in &paths {
        for method in METHODS {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            for who in [&scanner, &person] {
                who.request(method.clone(), format!("{url}{path}")).send().await.unwrap();
            }
        }
    }

    instance.kill();
    let log = instance.log();
    assert!(log.lines().count() > 2 * paths.len(), "the log saw the requests:\n{log}");
    for (what, secret) in [("the personal link's token", &token), ("the answer page's handle", &handle)] {
        let lines: Vec<&str> = log.lines().filter(|l| l.contains(secret.as_str())).collect();
        assert!(lines.is_empty(), "{what} ({secret}) is in {} log lines:\n{}", lines.len(), lines.join("\n"));
    }
}
