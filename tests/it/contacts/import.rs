//! Importing the office's contact list into a real database, and picking audiences from it.

use std::path::{Path, PathBuf};

use peil::contacts::{self, ImportSummary, Vocabulary};
use peil::db::Pool;
use sqlx::Row;
use tempfile::TempDir;

const BOM: &str = "\u{feff}";

/// A fresh database in its own folder, where the test also writes its CSV files.
struct App {
    dir: TempDir,
    pool: Pool,
    db: peil::db::Db,
    _db: crate::pg::TestDb,
}

impl App {
    async fn new() -> App {
        let dir = tempfile::tempdir().expect("temp dir");
        let test_db = crate::pg::TestDb::new(dir.path());
        let db = test_db.db().await;
        App { dir, pool: db.read().clone(), db, _db: test_db }
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write csv");
        path
    }

    async fn import(&self, path: &Path) -> Result<ImportSummary, contacts::ContactsError> {
        contacts::import_csv(
            &self.db,
            path,
            &vocabulary(),
            &peil::settings::Secret::new(peil::crypto::random_b64(48)),
            chrono::Utc::now(),
        )
        .await
    }

    async fn import_text(&self, name: &str, text: &str) -> ImportSummary {
        self.import(&self.file(name, text)).await.expect("import succeeds")
    }

    /// Every column of every contact, so a refused import can be shown to have touched nothing.
    async fn table(&self) -> Vec<String> {
        let rows = sqlx::query(
            "SELECT email, name, role, practice, wijk, gemeente, opted_out, updated_at \
             FROM contacts ORDER BY email",
        )
        .fetch_all(&self.pool)
        .await
        .expect("select");
        let text = |row: &sqlx::any::AnyRow, i| row.get::<String, _>(i);
        rows.iter()
            .map(|r| {
                let opted_out: i64 = r.get(6);
                let fields = [text(r, 0), text(r, 1), text(r, 2), text(r, 3), text(r, 4), text(r, 5)];
                format!("{} opted_out={opted_out} {}", fields.join("|"), text(r, 7))
            })
            .collect()
    }

    async fn opt_out(&self, email: &str) {
        sqlx::query("UPDATE contacts SET opted_out = 1 WHERE email = $1")
            .bind(email)
            .execute(&self.pool)
            .await
            .expect("opt out");
    }

    async fn emails(&self, roles: &[&str], wijken: &[&str]) -> Vec<String> {
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let found = contacts::matching(&self.pool, &owned(roles), &owned(wijken)).await;
        found.expect("matching").into_iter().map(|c| c.email).collect()
    }

    /// Imports `bytes` as `name`, expects exactly `messages` (after `FILE:`), and no change.
    async fn assert_refused(&self, name: &str, bytes: impl AsRef<[u8]>, messages: &[&str]) {
        let before = self.table().await;
        let path = self.file(name, bytes);
        let error = self.import(&path).await.expect_err("import is refused");
        let expected: Vec<_> = messages.iter().map(|m| format!("{}:{m}", path.display())).collect();
        assert_eq!(error.to_string(), expected.join("\n"));
        assert_eq!(self.table().await, before, "a refused import must not write anything");
    }
}

fn vocabulary() -> Vocabulary {
    let pairs = |list: &[(&str, &str)]| list.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
    Vocabulary {
        roles: pairs(&[
            ("huisarts", "Huisarts"),
            ("poh-ggz", "POH-GGZ"),
            ("vs-ggz", "Verpleegkundig specialist GGZ"),
            ("kaderhuisarts-ggz", "Kaderhuisarts GGZ"),
            ("wijkmanager", "Wijkmanager"),
            ("ggz-partner", "GGZ-partner"),
            ("coordinator", "Coördinator"),
        ]),
        wijken: pairs(&[
            ("noord", "Noord"),
            ("oost", "Oost"),
            ("zuid", "Zuid"),
            ("west", "West"),
            ("centrum", "Centrum"),
        ]),
    }
}

const KNOWN_ROLES: &str =
    "huisarts, poh-ggz, vs-ggz, kaderhuisarts-ggz, wijkmanager, ggz-partner, coordinator";

const DUTCH_LIST: &str = "\u{feff}Naam;E-mailadres;Rol;Praktijk;Wijk;Gemeente\r\n\
    Anna Voorbeeld;A.Voorbeeld@Praktijk-Noord.example;Huisarts;Praktijk Noord;Noord;Voorbeeldstad\r\n\
    Bas Proefmans;b.proefmans@praktijk-noord.example;poh-ggz;\"Praktijk Noord; locatie Dijk\";noord;Voorbeeldstad\r\n\
    ;;;;;\r\n\
    Kees Probeersel;k.probeersel@example.org;Coördinator;Huisartsenkring;;Voorbeeldstad\r\n";

#[tokio::test]
async fn a_dutch_excel_list_with_bom_and_semicolons_is_imported_as_codes() {
    let app = App::new().await;
    let summary = app.import_text("contacten.csv", DUTCH_LIST).await;
    assert_eq!(summary.to_string(), "3 added, 0 updated, 0 unchanged");
    let all = contacts::matching(&app.pool, &[], &[]).await.expect("matching");
    let rows: Vec<_> = all.iter().map(|c| (&*c.email, &*c.role, &*c.practice, &*c.wijk)).collect();
    assert_eq!(
        rows,
        [
            ("a.voorbeeld@praktijk-noord.example", "huisarts", "Praktijk Noord", "noord"),
            ("b.proefmans@praktijk-noord.example", "poh-ggz", "Praktijk Noord; locatie Dijk", "noord"),
            ("k.probeersel@example.org", "coordinator", "Huisartsenkring", ""),
        ]
    );
}

#[tokio::test]
async fn a_comma_separated_list_with_english_headers_is_imported() {
    let app = App::new().await;
    let csv = "Name,Email,Role,District,Municipality\n\
               \"Tester, Olga\",o.testers@example.nl,vs-ggz,zuid,Voorbeeldstad\n\n\
               Tom Verzonnen,t.verzonnen@example.nl,wijkmanager,zuid,Voorbeeldstad\n";
    let summary = app.import_text("contacts.csv", csv).await;
    assert_eq!(summary, ImportSummary { added: 2, updated: 0, unchanged: 0, opted_out: 0, suppressed: 0 });
    let olga = &contacts::matching(&app.pool, &[], &[]).await.expect("matching")[0];
    assert_eq!((&*olga.name, &*olga.gemeente, &*olga.practice), ("Tester, Olga", "Voorbeeldstad", ""));
}

#[tokio::test]
async fn importing_the_same_list_again_changes_nothing() {
    let app = App::new().await;
    app.import_text("contacten.csv", DUTCH_LIST).await;
    let before = app.table().await;
    let summary = app.import_text("contacten.csv", DUTCH_LIST).await;
    assert_eq!(summary.to_string(), "0 added, 0 updated, 3 unchanged");
    assert_eq!(app.table().await, before);
}

#[tokio::test]
async fn a_changed_row_is_updated_and_an_opt_out_survives_it() {
    let app = App::new().await;
    app.import_text("contacten.csv", DUTCH_LIST).await;
    app.opt_out("b.proefmans@praktijk-noord.example").await;
    let moved =
        DUTCH_LIST.replace("poh-ggz;\"Praktijk Noord; locatie Dijk\";noord", "poh-ggz;Praktijk Oost;oost");
    let summary = app.import_text("contacten.csv", &moved).await;
    assert_eq!(summary.to_string(), "0 added, 1 updated, 2 unchanged");
    let bas = app.table().await.remove(1);
    assert!(bas.contains("|Praktijk Oost|oost|Voorbeeldstad opted_out=1 "), "{bas}");
}

#[tokio::test]
async fn a_list_without_a_role_column_is_refused_naming_the_column() {
    let app = App::new().await;
    app.import_text("contacten.csv", DUTCH_LIST).await;
    app.assert_refused(
        "zonder-rol.csv",
        format!("{BOM}Naam;E-mail;Wijk\r\nAnna;a@example.nl;noord\r\n"),
        &["1: missing column \"rol\"; accepted headers: naam/name, e-mail/email/e-mailadres, \
           rol/role, praktijk/practice, wijk/district, gemeente/municipality"],
    )
    .await;
}

#[tokio::test]
async fn an_unknown_column_is_refused() {
    let app = App::new().await;
    app.assert_refused(
        "telefoon.csv",
        "naam;e-mail;rol;telefoon\nAnna;a@example.nl;huisarts;0612345678\n",
        &["1: unknown column \"telefoon\"; accepted headers: naam/name, e-mail/email/e-mailadres, \
           rol/role, praktijk/practice, wijk/district, gemeente/municipality"],
    )
    .await;
}

#[tokio::test]
async fn a_bad_e_mail_address_is_refused_with_its_line() {
    let app = App::new().await;
    app.import_text("contacten.csv", DUTCH_LIST).await;
    let csv = DUTCH_LIST.replace("k.probeersel@example.org", "k.probeersel.example.org");
    app.assert_refused("typo.csv", csv, &["5: \"k.probeersel.example.org\" is not a valid e-mail address"])
        .await;
}

#[tokio::test]
async fn a_row_with_three_of_six_columns_is_refused_with_its_line_not_imported_without_a_wijk() {
    let app = App::new().await;
    let csv = format!("{DUTCH_LIST}Piet Kort;p.kort@praktijk-noord.example;huisarts\r\n");
    app.assert_refused(
        "kort.csv",
        csv,
        &["6: this line has 3 of the 6 columns; a cell or a separator is missing (an empty cell still needs its separator)"],
    )
    .await;
}

#[tokio::test]
async fn the_same_address_twice_is_refused_naming_both_lines() {
    let app = App::new().await;
    app.import_text("contacten.csv", DUTCH_LIST).await;
    let csv = format!("{DUTCH_LIST}Anna V.;a.voorbeeld@praktijk-noord.example;huisarts;;noord;\r\n");
    app.assert_refused(
        "dubbel.csv",
        csv,
        &["6: e-mail a.voorbeeld@praktijk-noord.example is also on line 2"],
    )
    .await;
}

#[tokio::test]
async fn an_unknown_role_is_refused_listing_the_known_ones() {
    let app = App::new().await;
    let csv = DUTCH_LIST.replace(";Huisarts;", ";Tandarts;");
    app.assert_refused(
        "tandarts.csv",
        csv,
        &[&format!("2: unknown role \"Tandarts\"; known roles: {KNOWN_ROLES}")],
    )
    .await;
}

#[tokio::test]
async fn a_latin_1_file_is_refused_with_a_hint_to_save_as_csv_utf_8() {
    let app = App::new().await;
    app.import_text("contacten.csv", DUTCH_LIST).await;
    let latin1 =
        b"naam;e-mail;rol\r\nAnna;a@example.nl;huisarts\r\nJos\xe9 Fictief;j@example.nl;huisarts\r\n";
    app.assert_refused(
        "latin1.csv",
        latin1,
        &["3: this line is not UTF-8 text; in Excel, use \"Save as\" and choose \"CSV UTF-8\""],
    )
    .await;
}

#[tokio::test]
async fn every_bad_row_is_reported_at_once() {
    let app = App::new().await;
    let csv = "naam;e-mail;rol;wijk\n\
               Anna;anna@;huisarts;noord\n\
               Bas;bas@example.nl;;noord\n\
               Cees;cees@example.nl;huisarts;Dorp\n";
    app.assert_refused(
        "fouten.csv",
        csv,
        &[
            "2: \"anna@\" is not a valid e-mail address",
            &format!("3: the role is empty; known roles: {KNOWN_ROLES}"),
            "4: unknown wijk \"Dorp\"; known wijken: noord, oost, zuid, west, centrum",
        ],
    )
    .await;
}

#[tokio::test]
async fn the_example_list_imports_cleanly() {
    let app = App::new().await;
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/contacts.csv");
    let summary = app.import(&example).await.expect("the example is valid");
    assert_eq!(summary.to_string(), "40 added, 0 updated, 0 unchanged");
}

#[tokio::test]
async fn matching_picks_roles_and_wijken_skips_opt_outs_and_sorts_by_e_mail() {
    let app = App::new().await;
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/contacts.csv");
    app.import(&example).await.expect("the example is valid");
    app.opt_out("c.testers@praktijk-noord.example").await;
    assert_eq!(app.emails(&["poh-ggz"], &["noord"]).await, ["f.nepper@gezondheidscentrum-noord.example"]);
    assert_eq!(
        app.emails(&["wijkmanager", "coordinator"], &[]).await,
        [
            "f.vanbedacht@example.nl",
            "g.verzonnen@example.nl",
            "k.probeersel@example.org",
            "l.denkbeeld@example.org",
            "m.denkbeeld@example.nl",
            "t.verzonnen@example.nl",
            "y.denkbeeld@example.nl",
        ]
    );
    assert_eq!(app.emails(&[], &[]).await.len(), 39);
}

#[tokio::test]
async fn a_quoted_name_with_a_line_break_or_a_tab_is_refused_at_its_line() {
    let app = App::new().await;
    // Either would split the lines and columns of `peil round links`, and a mail's greeting.
    let csv = "naam;e-mail;rol\n\
               \"Anna\nde Vries\";anna@example.nl;huisarts\n\
               \"Bas\tBakker\";bas@example.nl;huisarts\n\
               \"Cees\r\nSmit\";cees@example.nl;huisarts\n";
    app.assert_refused(
        "regels.csv",
        csv,
        &[
            "2: column \"naam\" holds an invisible control character (U+000A); retype that cell",
            "4: column \"naam\" holds an invisible control character (U+0009); retype that cell",
            "5: column \"naam\" holds an invisible control character (U+000D); retype that cell",
        ],
    )
    .await;
}

#[tokio::test]
async fn an_import_is_in_the_audit_log_as_done_from_the_command_line() {
    let app = App::new().await;
    app.import_text("contacten.csv", DUTCH_LIST).await;
    let rows: Vec<(Option<String>, String)> =
        sqlx::query_as("SELECT actor, detail FROM audit_log WHERE action = 'contacts_imported'")
            .fetch_all(&app.pool)
            .await
            .expect("audit rows");
    let path = app.dir.path().join("contacten.csv");
    assert_eq!(
        rows,
        [(None, format!("{}: 3 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 afgemeld", path.display()))]
    );
}

#[test]
fn import_check_says_what_an_import_would_do_and_writes_nothing() {
    let cli = crate::cli::Cli::new();
    let list = cli.write("contacts.csv", crate::helpers::CONTACTS.as_bytes());
    assert!(cli.run(&["contacts", "import", &list]).status.success());
    let next = crate::helpers::CONTACTS.replace("Praktijk Zuid;zuid", "Praktijk Oost;oost")
        + "Eva Jansen;eva@example.org;poh-ggz;;zuid;Stad\n";
    let next = cli.write("next.csv", next.as_bytes());
    let output = cli.run(&["contacts", "import", "--check", &next]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{next}: would add 1, update 1, leave 3 unchanged; 0 of them opted out\n")
    );
    let bad = cli.write("bad.csv", b"naam;e-mail adres;rol\nAnna;anna@example.org;tandarts\n");
    let output = cli.run(&["contacts", "import", "--check", &bad]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{bad}:1: unknown column \"e-mail adres\" (looks like \"e-mail\")")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{bad}:2: unknown role \"tandarts\"")), "{stderr}");
    assert!(stderr.ends_with("Nothing would be imported.\n"), "{stderr}");
    // Importing the checked list now still finds Eva new: the check wrote nothing.
    let output = cli.run(&["contacts", "import", &next]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), format!("{next}: 1 added, 1 updated, 3 unchanged\n"));
}
