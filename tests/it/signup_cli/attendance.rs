//! `peil session attendance` and `attended`: the list as CSV and XLSX, and recording who came.

use super::*;

/// The rows of a `;`-separated CSV with a byte-order mark.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).expect("a byte-order mark");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(body);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[tokio::test]
async fn the_attendance_csv_suits_dutch_excel_keeps_the_big_number_and_neutralises_formulas() {
    let desk = Desk::full_session().await;
    let output = desk.peil(&["session", "attendance", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        text.starts_with(
            "\u{feff}Activiteit-ID;Bijeenkomst;Datum;Tijd;Begeleider;Voorletters;Achternaam;Naam;E-mail;Functie;Praktijk;BIG-nummer;Beroepsorganisatie/register en nummer;Status;Aanwezig;Handtekening\r\n"
        ),
        "{text}"
    );
    let rows = csv_rows(&output.stdout);
    assert_eq!(rows.len(), 4, "{text}");
    // Confirmed seats by name ("=" sorts before letters), then the waiting list.
    let hyper = "'=HYPERLINK(\"http://x\",\"y\")";
    assert_eq!(rows[1][7], hyper);
    // A BIG number as the text formula a spreadsheet shows as these 11 digits, leading 0 and all.
    let big = format!("=\"{BIG_ANNA}\"");
    assert_eq!(
        rows[2],
        [
            "ABC1-000001",
            "Suïcidepreventie",
            "09-03-2099",
            "19:00-21:30",
            "",
            "",
            "Anna de Vries",
            "Anna de Vries",
            "anna@example.org",
            "Huisarts",
            "Praktijk Noord",
            big.as_str(),
            "",
            "aangemeld",
            "",
            ""
        ]
    );
    assert_eq!(
        rows[3][7..],
        ["Cor Smit", "cor@example.org", "POH-GGZ", "Praktijk Zuid", "", "", "wachtlijst (plaats 1)", "", ""]
    );
}

#[tokio::test]
async fn the_attendance_xlsx_reads_back_with_the_big_number_as_text() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let desk = Desk::full_session().await;
    let refused = desk.refused(&["session", "attendance", "1", "--format", "xlsx"]);
    assert!(refused.contains("add --output FILE.xlsx"), "{refused}");

    let path = desk.dir.path().join("presentielijst.xlsx");
    let written = desk.ok(&["session", "attendance", "1", "--output", &path.display().to_string()]);
    assert!(written.contains("geschreven naar") && written.contains("3 personen"), "{written}");
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(std::fs::read(&path).unwrap())).unwrap();
    let sheet = workbook.worksheet_range("Suïcidepreventie").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][11], Data::String("BIG-nummer".into()));
    assert_eq!(rows[2][7], Data::String("Anna de Vries".into()));
    assert_eq!(rows[2][11], Data::String(BIG_ANNA.into()), "text, with its leading 0");
    assert_eq!(rows[1][7], Data::String("'=HYPERLINK(\"http://x\",\"y\")".into()));
}

#[tokio::test]
async fn recording_attendance_with_one_unknown_address_writes_nothing() {
    let desk = Desk::full_session().await;
    desk.session_began().await;
    let refused = desk.refused(&["session", "attended", "1", "ANNA@example.org", "niemand@example.org"]);
    assert!(
        refused.contains("no confirmed seat in session 1 for niemand@example.org; nothing was recorded"),
        "{refused}"
    );
    // Cor is on the waiting list: no seat to have attended in.
    let refused = desk.refused(&["session", "attended", "1", "hyper@example.org", "cor@example.org"]);
    assert!(refused.contains("for cor@example.org;"), "{refused}");
    for email in ["anna@example.org", "hyper@example.org", "cor@example.org"] {
        assert_eq!(desk.status_of(email).await.1, None, "{email}");
    }

    let recorded = desk.ok(&["session", "attended", "1", "Anna@Example.org"]);
    assert!(
        recorded.starts_with("1 persoon als aanwezig genoteerd bij bijeenkomst 1 (s1, Suïcidepreventie):")
    );
    assert!(recorded.contains("  Anna de Vries <anna@example.org>"), "{recorded}");
    desk.ok(&["session", "attended", "1", "--absent", "hyper@example.org"]);
    assert_eq!(desk.status_of("anna@example.org").await.1, Some(1));
    assert_eq!(desk.status_of("hyper@example.org").await.1, Some(0));
    let rows = csv_rows(&desk.peil(&["session", "attendance", "1"]).stdout);
    assert_eq!((rows[1][14].as_str(), rows[2][14].as_str(), rows[3][14].as_str()), ("nee", "ja", ""));
}

#[tokio::test]
async fn attendance_is_refused_before_the_session_starts_and_nothing_is_recorded() {
    let desk = Desk::full_session().await;
    let refused = desk.refused(&["session", "attended", "1", "anna@example.org"]);
    assert!(
        refused.contains(
            "session 1 starts 9 maart 2099 om 19.00 uur; attendance can be recorded from its start"
        ),
        "{refused}"
    );
    assert_eq!(desk.status_of("anna@example.org").await.1, None);

    desk.session_began().await;
    desk.ok(&["session", "attended", "1", "anna@example.org"]);
    assert_eq!(desk.status_of("anna@example.org").await.1, Some(1));
}
