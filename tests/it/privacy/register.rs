//! `peil privacy register` and `/beheer/verwerkingsregister`: an entry per form and per job of
//! the shipped files, with every column of the register, as Markdown and as CSV.

use peil::accounts::Role;

use crate::cli::Cli;
use crate::helpers::{TestApp, repo};

/// The files in `folder` that end in `.toml`: a form or a job each.
fn ids(folder: &str) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(repo(folder))
        .expect("the folder")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".toml").map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

fn register(cli: &Cli, args: &[&str]) -> String {
    let mut command = cli.command(&[&["privacy", "register"], args].concat());
    let output = command
        .env("PEIL_JOBS_DIR", repo("jobs"))
        .env("PEIL_SMTP_URL", "smtp://relay.example.org:587")
        .output()
        .expect("peil runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_markdown_register_has_an_entry_per_form_and_per_job_with_every_column() {
    let markdown = register(&Cli::new(), &[]);
    for form in ids("forms") {
        assert!(
            markdown.contains(&format!("## Formulier `{form}`: ")),
            "no entry for form {form}:\n{markdown}"
        );
    }
    for job in ids("jobs") {
        assert!(markdown.contains(&format!("## Job `{job}`: ")), "no entry for job {job}:\n{markdown}");
    }
    let entries = ids("forms").len() + ids("jobs").len();
    for column in
        ["Doel", "Betrokkenen", "Persoonsgegevens", "Ontvangers", "Bewaartermijn", "Anoniem", "Beveiliging"]
    {
        assert_eq!(markdown.matches(&format!("- **{column}:**")).count(), entries, "{column}:\n{markdown}");
    }
    assert!(markdown.contains("## Beveiligingsmaatregelen"), "{markdown}");
    assert!(markdown.contains("de database bewaart alleen een hash"), "{markdown}");
    // The relay is set, so the mail provider receives the mails.
    assert!(markdown.contains("de mailprovider die de e-mails aflevert"), "{markdown}");
}

#[test]
fn the_csv_register_has_a_row_per_form_and_job_that_says_what_each_processes() {
    let cli = Cli::new();
    let out = cli.dir.path().join("register.csv");
    let printed = register(&cli, &["--csv", "--out", &out.display().to_string()]);
    let entries = ids("forms").len() + ids("jobs").len();
    assert!(printed.contains(&format!("{entries} entries")), "{printed}");
    let bytes = std::fs::read(&out).expect("the file");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let headers: Vec<String> = reader.headers().expect("headers").iter().map(str::to_owned).collect();
    assert_eq!(headers, peil::privacy::register::HEADERS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), entries);
    let row = |kind: &str, id: &str| {
        rows.iter().find(|r| &r[0] == kind && &r[1] == id).unwrap_or_else(|| panic!("no row {kind} {id}"))
    };
    let crisis = row("job", "crisisdienst");
    assert_eq!(&crisis[8], "ja");
    assert!(crisis[3].contains("crisisdienst"), "the purpose: {}", &crisis[3]);
    assert!(crisis[4].contains("Huisarts"), "the audience's role: {}", &crisis[4]);
    assert!(crisis[6].contains("ten minste 6 mensen"), "{}", &crisis[6]);
    let scholing = row("job", "scholing");
    assert_eq!(&scholing[8], "nee");
    assert!(scholing[5].contains("BIG-nummer") && scholing[5].contains("aanwezigheid"), "{}", &scholing[5]);
    assert!(scholing[4].contains("openbare aanmeldpagina"), "{}", &scholing[4]);
    let visit = row("formulier", "blended-care-bezoek");
    assert!(visit[5].contains("uw telefoonnummer") && visit[5].contains("open tekst"), "{}", &visit[5]);
    assert!(visit[6].contains("de antwoorden met naam"), "{}", &visit[6]);
    // The terms the retention task carries out: the defaults of peil.toml, and scholing's own
    // six years of attendance (jobs/scholing.toml).
    assert!(crisis[7].contains("3 maanden na het sluiten van de ronde"), "{}", &crisis[7]);
    assert!(
        scholing[7].contains("Inschrijvingen en aanwezigheid: 6 jaar na de bijeenkomst"),
        "{}",
        &scholing[7]
    );
    assert!(rows.iter().all(|r| r[9].contains("CSRF")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_read_the_register_on_a_page_and_download_it_and_no_one_else_can() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (_, start) = admin.get("/beheer").await;
    assert!(start.contains("Verwerkingsregister"), "{start}");
    let (status, page) = admin.get("/beheer/verwerkingsregister").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Formulier <code>crisisdienst</code>: Samenwerking met de crisisdienst ggz"),
        "{page}"
    );
    assert!(page.contains("<dt>Bewaartermijn</dt>"), "{page}");
    let csv = admin.get_bytes("/beheer/verwerkingsregister.csv").await;
    assert!(csv.starts_with("\u{feff}soort;id;titel;doel;".as_bytes()));

    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    assert_eq!(member.get("/beheer/verwerkingsregister").await.0, 403);
    assert_eq!(member.get("/beheer/verwerkingsregister.csv").await.0, 403);
    let (status, _) = app.get("/beheer/verwerkingsregister").await;
    assert!(status == 303 || status == 401, "no login, no register: {status}");
}
