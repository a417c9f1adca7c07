//! Contact lists, generated and mangled, imported into a real database one after the other: an
//! accepted list is in the table, a refused one leaves the table exactly as it was, and every
//! refusal names the file and a line of it.

use std::path::Path;

use peil::contacts::{self, ContactsError, Vocabulary};
use peil::db::Pool;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestRunner;
use sqlx::Row;

use super::*;

pub(super) fn vocabulary() -> Vocabulary {
    let forms = peil::forms::load(&crate::helpers::repo("forms")).expect("the shipped forms load");
    Vocabulary { roles: forms.list_pairs("rollen"), wijken: forms.list_pairs("wijken") }
}

/// Every column of every contact, with the times that an update would change.
pub(super) async fn table(pool: &Pool) -> Vec<String> {
    let rows = sqlx::query(
        "SELECT email, name, role, practice, wijk, gemeente, opted_out, self_registered, created_at, \
         updated_at FROM contacts ORDER BY email",
    )
    .fetch_all(pool)
    .await
    .expect("select");
    rows.iter()
        .map(|r| {
            let text: Vec<String> = [0, 1, 2, 3, 4, 5, 8, 9].iter().map(|&i| r.get::<String, _>(i)).collect();
            let flags: (i64, i64) = (r.get(6), r.get(7));
            format!("{} {flags:?}", text.join("|"))
        })
        .collect()
}

/// A cell: what office staff type, and what goes wrong when they do.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "Anna", "Jansen, J.", "a@example.nl", "A@Example.NL", "b@example.org", "c@x.nl", "jan@localhost",
            "Anna <a@x.nl>", "huisarts", "Huisarts", "POH-GGZ", "tandarts", "noord", "Noord", "Dorp",
            "", " ", "\"", "\"\"", "\"quoted; cell\"", "\"a\nb\"", "'", ";", ",", "\t", "\u{feff}",
            "é", "\0", "=SUM(A1)", "naam", "e-mail",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,20}",
        1 => (1usize..200_000).prop_map(|n| "x".repeat(n)),
    ]
}

fn header() -> impl Strategy<Value = Vec<String>> {
    let name = prop::sample::select(vec![
        "naam",
        "Naam",
        "name",
        "e-mail",
        "E-mailadres",
        "email",
        "rol",
        "role",
        "praktijk",
        "wijk",
        "district",
        "gemeente",
        "municipality",
        "telefoon",
        "",
        " NAAM ",
        "\u{feff}naam",
    ]);
    prop_oneof![
        4 => Just(["naam", "e-mail", "rol", "wijk"].map(str::to_string).to_vec()),
        1 => prop::collection::vec(name.prop_map(str::to_string), 0..8),
    ]
}

/// A row under the usual header (naam, e-mail, rol, wijk) that could well be right.
fn plausible_row() -> impl Strategy<Value = Vec<String>> {
    let name = prop::sample::select(vec![
        "Anna",
        "Jansen, J.",
        "\"Bas \"\"B\"\" Proef\"",
        "Cees de Vries",
        "Émile",
        "\"Anna\nde Vries\"",
        "An\0na",
        "Anna\u{7}",
        "Anna\u{202e}",
        "\u{feff}Anna",
    ]);
    let role = prop::sample::select(vec![
        "huisarts",
        "Huisarts",
        "poh-ggz",
        "POH-GGZ",
        "coordinator",
        "wijkmanager",
    ]);
    let wijk = prop::sample::select(vec!["noord", "Zuid", "", "centrum", "Havenkwartier"]);
    (name, 0..60u32, prop::sample::select(vec!["example.nl", "Example.ORG"]), role, wijk).prop_map(
        |(name, n, domain, role, wijk)| {
            vec![name.to_string(), format!("p{n}@{domain}"), role.to_string(), wijk.to_string()]
        },
    )
}

/// A list: a header, rows, a delimiter, line ends; then, now and then, a few bytes changed.
fn list() -> impl Strategy<Value = Vec<u8>> {
    let delimiter =
        prop_oneof![4 => prop::sample::select(vec![";", ","]), 1 => prop::sample::select(vec!["\t", "|"])];
    let line_end = prop::sample::select(vec!["\n", "\r\n", "\r"]);
    let row = prop_oneof![3 => plausible_row(), 1 => prop::collection::vec(cell(), 0..7)];
    let rows = prop::collection::vec(row, 0..8);
    let byte =
        prop::sample::select(vec![vec![0xFF], vec![0xC3], vec![0xE9], vec![0xEF, 0xBB, 0xBF], vec![0]]);
    let bytes = prop_oneof![3 => Just(Vec::new()), 1 => prop::collection::vec((any::<Index>(), byte), 1..3)];
    let cut = prop::option::weighted(0.2, any::<Index>());
    (any::<bool>(), header(), rows, delimiter, line_end, bytes, cut).prop_map(
        |(bom, header, rows, delimiter, line_end, bytes, cut)| {
            let mut text = if bom { "\u{feff}".to_string() } else { String::new() };
            for row in std::iter::once(header).chain(rows) {
                text.push_str(&row.join(delimiter));
                text.push_str(line_end);
            }
            let mut out = text.into_bytes();
            for (at, b) in bytes {
                let at = at.index(out.len() + 1);
                out.splice(at..at, b);
            }
            if let Some(cut) = cut {
                out.truncate(cut.index(out.len() + 1));
            }
            out
        },
    )
}

/// The shipped example list, mutated like the form files.
fn mutated_example() -> impl Strategy<Value = Vec<u8>> {
    let example = std::fs::read_to_string(crate::helpers::repo("examples/contacts.csv")).expect("example");
    mutations().prop_map(move |m| mutate(&example, &m).into_bytes())
}

/// Imports `bytes` after the state left by the cases before; checks the outcome against the table.
async fn import(db: &peil::db::Db, dir: &Path, vocab: &Vocabulary, bytes: &[u8]) {
    let pool = db.read();
    let path = dir.join("lijst.csv");
    std::fs::write(&path, bytes).expect("write csv");
    let before = table(pool).await;
    let started = std::time::Instant::now();
    let outcome = contacts::import_csv(
        db,
        &path,
        vocab,
        &peil::settings::Secret::new(peil::crypto::random_b64(48)),
        chrono::Utc::now(),
    )
    .await;
    assert!(started.elapsed() < CASE_LIMIT * 3, "an import took {:?}", started.elapsed());
    let label = path.display().to_string();
    match outcome {
        Ok(summary) => {
            let parsed = contacts::parse_csv(&label, bytes, vocab).expect("what imports, parses");
            assert_eq!(summary.added + summary.updated + summary.unchanged, parsed.len());
            let after = table(pool).await;
            assert_eq!(after.len(), before.len() + summary.added);
            for contact in &parsed {
                let fields = [contact.email.as_str(), &contact.name, &contact.practice, &contact.gemeente];
                let odd = fields.iter().find_map(|f| contacts::control_character(f));
                assert_eq!(odd, None, "a control character imported, line breaks and tabs too: {contact:?}");
                let row = after.iter().find(|r| r.starts_with(&format!("{}|", contact.email)));
                let row = row.unwrap_or_else(|| panic!("{} is not in the table", contact.email));
                assert!(row.contains(&format!("|{}|{}|", contact.name, contact.role)), "{row}");
            }
        }
        Err(ContactsError::Rows(rows)) => {
            assert_eq!(table(pool).await, before, "a refused import must not write anything");
            let lines = 1 + bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            assert!(!rows.is_empty());
            for row in &rows {
                assert_eq!(row.file, label);
                assert!((1..=lines).contains(&row.line), "{row} (the file has {lines} lines)");
                assert!(!row.problem.to_string().trim().is_empty(), "{row:?}");
            }
        }
        Err(e) => panic!("the database failed: {e}"),
    }
}

fn run(cases: u32, strategy: impl Strategy<Value = Vec<u8>>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let test_db = crate::pg::TestDb::new(dir.path());
    let db = runtime.block_on(test_db.db());
    let vocab = vocabulary();
    let example = std::fs::read(crate::helpers::repo("examples/contacts.csv")).expect("example");
    runtime.block_on(import(&db, dir.path(), &vocab, &example));
    let mut runner = TestRunner::new(config(cases));
    let result = runner.run(&strategy, |bytes| {
        runtime.block_on(import(&db, dir.path(), &vocab, &bytes));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn a_generated_contact_list_is_imported_whole_or_refused_without_a_trace() {
    run(64, list());
}

#[test]
fn a_mutated_example_list_is_imported_whole_or_refused_without_a_trace() {
    run(48, mutated_example());
}
