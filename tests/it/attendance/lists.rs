//! The presentielijst: the printable page, the PDF read back with `pdftotext -layout`, and the
//! XLSX read with calamine, each with the session's header and every BIG number's leading 0.

use std::io::Cursor;

use super::{Desk, ORGANISATION};

/// 20 people: more than one landscape page holds. Each has an 11-digit BIG number starting
/// with 0; the first also voorletters, an achternaam with tussenvoegsel and a lidnummer.
async fn twenty() -> Desk {
    let desk = Desk::with(20).await;
    desk.details("poh01@example.org", "A.B.", "van den Berg", "01234567801", "PG-4711").await;
    for i in 2..=20 {
        let big = format!("0123456780{}", i % 10);
        let big = if i >= 10 { format!("01234567{i:03}") } else { big };
        desk.details(&format!("poh{i:02}@example.org"), "", "", &big, "").await;
    }
    desk
}

fn bigs() -> Vec<String> {
    (1..=20)
        .map(|i| {
            if i == 1 {
                "01234567801".into()
            } else if i >= 10 {
                format!("01234567{i:03}")
            } else {
                format!("0123456780{}", i % 10)
            }
        })
        .collect()
}

/// The PDF's text, as poppler reads it.
fn pdftotext(bytes: &[u8]) -> String {
    crate::certificates::pdf_text(bytes)
}

#[tokio::test]
async fn the_pdf_has_the_header_on_each_page_the_names_and_every_big_number_with_its_zero() {
    let desk = twenty().await;
    let bytes = desk.admin.get_bytes(&desk.path("/presentielijst.pdf")).await;
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdftotext(&bytes);
    let date = peil::time::dutch_long_date(peil::time::amsterdam_date(desk.starts));
    for expected in [
        ORGANISATION,
        "Intervisiegroep s1",
        date.as_str(),
        "Accreditatie-ID: ABC1-123456",
        "Begeleider: Dr. K. Kader",
        "A.B.",
        "van den Berg",
        "Kwaliteitsregister POH-GGZ PG-4711",
        "POH 02",
        "Handtekening",
        "pagina 1 van 2",
        "pagina 2 van 2",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert_eq!(text.matches("Accreditatie-ID: ABC1-123456").count(), 2, "the header on both pages");
    for big in bigs() {
        assert!(text.contains(&big), "{big} in {text}");
    }
    assert_eq!(
        desk.audited("exported").await,
        [format!("presentielijst van bijeenkomst {} (PDF)", desk.session)]
    );
}

#[tokio::test]
async fn the_xlsx_keeps_each_big_number_as_text_and_the_page_shows_the_same_list() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let desk = twenty().await;
    let bytes = desk.admin.get_bytes(&desk.path("/presentielijst.xlsx")).await;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("Intervisiegroep s1").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 21, "a heading and the 20 confirmed people");
    assert_eq!(rows[0][11], Data::String("BIG-nummer".into()));
    let mut found: Vec<String> = rows[1..]
        .iter()
        .map(|row| match &row[11] {
            Data::String(s) => s.clone(),
            other => panic!("the BIG number is a text cell, not {other:?}"),
        })
        .collect();
    found.sort();
    let mut expected = bigs();
    expected.sort();
    assert_eq!(found, expected);
    let berg = rows.iter().find(|r| r[6] == Data::String("van den Berg".into())).expect("van den Berg");
    assert_eq!(berg[5], Data::String("A.B.".into()));
    // Each register of her role, with her number where it is not the BIG number.
    assert_eq!(berg[12], Data::String("ABC1 (GAIA); Kwaliteitsregister POH-GGZ PG-4711".into()));
    // Someone never asked is listed by the contact's name.
    assert!(rows.iter().any(|r| r[6] == Data::String("POH 02".into())));

    let (status, page) = desk.admin.get(&desk.path("/presentielijst")).await;
    assert_eq!(status, 200);
    for expected in
        [ORGANISATION, "ABC1-123456", "Dr. K. Kader", "van den Berg", "01234567801", "Handtekening"]
    {
        assert!(page.contains(expected), "{expected:?} in {page}");
    }
}
