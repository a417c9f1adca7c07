//! The werkgroep's reads and exports of a round's results, on the web and with `peil export`:
//! one entry each, about the round and how many people, in the reader's capacity.

use std::process::Command;

use peil::accounts::Role;

use super::{WEB, mark, nothing_personal, the_one, who, written_now};
use crate::helpers::repo;
use crate::results::{pages, readers};

#[tokio::test]
async fn each_read_and_export_of_a_rounds_results_writes_one_entry_with_whose_data_and_how() {
    let (app, round, _forms) = pages::closed_round().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let start = mark(&app).await;
    let everyone = format!("ronde {round}: 13 personen");
    let noord = format!("ronde {round}: 6 personen");
    let steps = [
        (format!("/werkgroep/ronde/{round}"), "results_viewed", &everyone, format!("ronde {round}")),
        (
            format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking?wijk=noord"),
            "free_text_viewed",
            &noord,
            format!("ronde {round}, vraag opmerking, wijk noord"),
        ),
        (
            format!("/werkgroep/ronde/{round}/grafiek/ervaring/png"),
            "exported",
            &everyone,
            format!("ronde {round}, grafiek ervaring.png"),
        ),
        (
            format!("/werkgroep/ronde/{round}/grafiek/ervaring/svg?wijk=noord"),
            "exported",
            &noord,
            format!("ronde {round}, grafiek ervaring.svg, wijk noord"),
        ),
        (
            format!("/werkgroep/ronde/{round}/download/antwoorden.csv"),
            "exported",
            &everyone,
            format!("ronde {round}, antwoorden.csv"),
        ),
        (
            format!("/werkgroep/ronde/{round}/download/samenvatting.xlsx"),
            "exported",
            &everyone,
            format!("ronde {round}, samenvatting.xlsx"),
        ),
        (
            format!("/werkgroep/ronde/{round}/rapport.pdf"),
            "exported",
            &everyone,
            format!("ronde {round}, rapport.pdf"),
        ),
    ];
    for (path, action, subject, detail) in steps {
        let before = mark(&app).await;
        let (status, _) = member.get(&path).await;
        assert_eq!(status, 200, "{path}");
        let entry = the_one(&app, before, action).await;
        assert_eq!(who(&entry), (Some("lid@example.org"), Some("werkgroep"), Some(WEB)), "{path}");
        assert_eq!(
            (entry.subject.as_deref(), entry.detail.as_str()),
            (Some(subject.as_str()), detail.as_str())
        );
        assert_eq!(entry.subject_contact, None, "a round names no one: {path}");
        written_now(&app, &entry);
    }
    let texts = (0..6).map(|i| format!("Gewone opmerking {i}")).chain(["<script>".to_owned()]);
    let tokens =
        app.links(round).await.into_iter().map(|l| l.url.rsplit('/').next().unwrap_or("").to_owned());
    nothing_personal(&app, start, &texts.chain(tokens).collect::<Vec<_>>()).await;
}

#[tokio::test]
async fn reading_the_addresses_given_in_a_round_writes_one_entry_without_them() {
    let (app, round, _forms) = readers::closed_round(false).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let before = mark(&app).await;
    let (status, page) = member.get(&format!("/werkgroep/ronde/{round}/e-mailadressen/vervolg")).await;
    assert_eq!(status, 200, "{page}");
    let entry = the_one(&app, before, "free_text_viewed").await;
    assert_eq!(who(&entry), (Some("lid@example.org"), Some("werkgroep"), Some(WEB)));
    assert_eq!(entry.subject.as_deref(), Some(format!("ronde {round}: 6 personen").as_str()));
    let secrets: Vec<String> =
        (0..6).map(|i| format!("vervolg{i}")).chain(["Arts noord".to_owned()]).collect();
    nothing_personal(&app, before, &secrets).await;
}

#[tokio::test]
async fn peil_export_writes_an_entry_via_the_command_line_in_the_administrators_capacity() {
    let (app, round, _forms) = pages::closed_round().await;
    let before = mark(&app).await;
    let out = app.dir.path().join("export.csv");
    let output = Command::new(env!("CARGO_BIN_EXE_peil"))
        .args(["export", "--round", &round.0.to_string(), "--format", "csv", "--out"])
        .arg(&out)
        .current_dir(app.dir.path())
        .env("PEIL_DATABASE_URL", &app.settings.database_url)
        .env("PEIL_FORMS_DIR", &app.settings.forms_dir)
        .env("PEIL_DATA_DIR", app.dir.path().join("data"))
        .env("PEIL_SECRET_KEY", app.secret.expose())
        .env("PEIL_TEMPLATES_DIR", repo("templates"))
        .output()
        .expect("run peil export");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let entry = the_one(&app, before, "exported").await;
    assert_eq!(who(&entry), (None, Some("beheerder"), Some("cli")));
    assert_eq!(entry.subject.as_deref(), Some(format!("ronde {round}: 13 personen").as_str()));
    nothing_personal(&app, before, &["Gewone opmerking".to_owned()]).await;
}
