//! The files read back: CSV with the `csv` crate, XLSX with calamine and its parts unzipped.

use super::*;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::io::{Cursor, Read};

const HOSTILE: [&str; 6] = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"];

fn attendance() -> Sheet {
    Sheet {
        name: "Sessie 1: 9 maart [West]".to_owned(),
        headers: vec!["Naam".to_owned(), "BIG-nummer".to_owned(), "Uren".to_owned(), "Opmerking".to_owned()],
        rows: vec![
            vec!["Anna de Vries".into(), "01234567890".into(), 4.5.into(), Cell::Empty],
            vec!["Bram Öztürk".into(), "19876543210".into(), 2.0.into(), "te laat; \"file\"\nA2".into()],
            vec!["Saldo".into(), Cell::Empty, (-3.0).into()],
        ],
    }
}

fn hostile() -> Sheet {
    Sheet {
        name: "Aanval".to_owned(),
        headers: HOSTILE.iter().map(|text| (*text).to_owned()).collect(),
        rows: vec![HOSTILE.iter().map(|text| Cell::from(*text)).chain([Cell::Number(-1.0)]).collect()],
    }
}

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).expect("starts with a byte-order mark");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn read_xlsx(bytes: Vec<u8>) -> (Vec<String>, Vec<Vec<Data>>, usize) {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = workbook.sheet_names();
    let range = workbook.worksheet_range(&names[0]).unwrap();
    let formulas = workbook.worksheet_formula(&names[0]).unwrap();
    let formula_count = formulas.used_cells().filter(|(_, _, formula)| !formula.is_empty()).count();
    (names, range.rows().map(<[Data]>::to_vec).collect(), formula_count)
}

fn xlsx_part(bytes: &[u8], part: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive.by_name(part).unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn csv_starts_with_a_byte_order_mark_and_separates_with_semicolons_and_crlf() {
    let bytes = csv(&attendance());
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("\u{feff}Naam;BIG-nummer;Uren;Opmerking\r\n"));
    assert!(text.contains("\r\nAnna de Vries;\"=\"\"01234567890\"\"\";4,5;\r\n"), "{text}");
    assert!(text.ends_with("\r\nSaldo;;-3;\r\n"), "short rows are padded, -3 is not neutralised");
}

#[test]
fn numbers_get_a_decimal_comma_and_whole_numbers_no_decimals() {
    assert_eq!(decimal_comma(4.5), "4,5");
    assert_eq!(decimal_comma(12.0), "12");
    assert_eq!(decimal_comma(-0.25), "-0,25");
    assert_eq!(decimal_comma(-0.0), "0");
    assert_eq!(decimal_comma(1e16), "10000000000000000");
    assert_eq!(decimal_comma(f64::NAN), "");
    assert_eq!(decimal_comma(f64::NEG_INFINITY), "");
}

#[test]
fn a_csv_cell_with_separator_quotes_and_a_newline_reads_back_unchanged() {
    let records = read_csv(&csv(&attendance()));
    assert_eq!(records.len(), 4);
    assert_eq!(records[2], ["Bram Öztürk", "=\"19876543210\"", "2", "te laat; \"file\"\nA2"]);
    assert!(records.iter().all(|record| record.len() == 4));
}

#[test]
fn formula_like_text_arrives_neutralised_in_csv_but_a_negative_number_does_not() {
    let records = read_csv(&csv(&hostile()));
    let neutralised: Vec<String> = HOSTILE.iter().map(|text| format!("'{text}")).collect();
    assert_eq!(records[0][..6], neutralised[..]);
    assert_eq!(records[0][6], "", "the header row is padded to the width of the data");
    assert_eq!(records[1][..6], neutralised[..]);
    assert_eq!(records[1][6], "-1");
}

#[test]
fn formula_like_text_arrives_neutralised_in_xlsx_but_a_negative_number_stays_a_number() {
    let (_, rows, formula_count) = read_xlsx(xlsx(&hostile()).unwrap());
    assert_eq!(formula_count, 0);
    for (column, text) in HOSTILE.iter().enumerate() {
        assert_eq!(rows[0][column], Data::String(format!("'{text}")), "header {column}");
        assert_eq!(rows[1][column], Data::String(format!("'{text}")), "cell {column}");
    }
    assert_eq!(rows[1][6], Data::Float(-1.0));
}

#[test]
fn digits_a_spreadsheet_would_change_are_written_as_a_text_formula_in_csv() {
    let sheet = Sheet {
        name: "BIG".into(),
        headers: vec!["BIG-nummer".into()],
        rows: ["01234567890", "12345678901", "0", "12", "0612345678a", "=1+1"]
            .into_iter()
            .map(|text| vec![Cell::Text(text.into())])
            .collect(),
    };
    let records = read_csv(&csv(&sheet));
    let cells: Vec<&str> = records.iter().skip(1).map(|r| r[0].as_str()).collect();
    assert_eq!(
        cells,
        ["=\"01234567890\"", "=\"12345678901\"", "0", "12", "0612345678a", "'=1+1"],
        "only digits Excel would change become a formula; a typed formula stays neutralised"
    );
}

#[test]
fn neutralise_leaves_ordinary_text_borrowed() {
    assert!(matches!(neutralise("Anna de Vries"), Cow::Borrowed("Anna de Vries")));
    assert!(matches!(neutralise(""), Cow::Borrowed("")));
    assert_eq!(neutralise("a=b"), "a=b");
    assert_eq!(neutralise("-"), "'-");
}

#[test]
fn the_xlsx_opens_with_the_sheet_name_header_big_number_as_text_and_numbers_as_numbers() {
    let bytes = xlsx(&attendance()).unwrap();
    let (names, rows, _) = read_xlsx(bytes);
    assert_eq!(names, ["Sessie 1 9 maart West"]);
    let text = |s: &str| Data::String(s.to_owned());
    assert_eq!(rows[0], [text("Naam"), text("BIG-nummer"), text("Uren"), text("Opmerking")]);
    assert_eq!(rows[1][..3], [text("Anna de Vries"), text("01234567890"), Data::Float(4.5)]);
    assert_eq!(rows[2][3], text("te laat; \"file\"\nA2"));
    assert_eq!(rows[3][..3], [text("Saldo"), Data::Empty, Data::Float(-3.0)]);
}

#[test]
fn the_xlsx_header_row_is_bold_and_frozen_and_columns_have_widths() {
    let bytes = xlsx(&attendance()).unwrap();
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#), "{sheet}");
    assert!(sheet.contains("<cols>") && sheet.contains(r#"customWidth="1""#), "{sheet}");
    assert!(xlsx_part(&bytes, "xl/styles.xml").contains("<b/>"));
    assert_eq!(column_widths(&attendance()), [15, 13, 8, 17]);
}

#[test]
fn sheet_names_are_made_acceptable_to_excel() {
    assert_eq!(sheet_name("Sessie 1: 9 maart [West]"), "Sessie 1 9 maart West");
    assert_eq!(sheet_name("a/b\\c*d?e"), "a b c d e");
    assert_eq!(sheet_name("'Intervisie'"), "Intervisie");
    assert_eq!(sheet_name(" :[]: "), "Blad1");
    assert_eq!(sheet_name("history"), "history 1");
    let long = sheet_name("Presentielijst intervisiegroep Noord-Holland 2027");
    assert_eq!(long, "Presentielijst intervisiegroep");
    assert_eq!(sheet_name(&"é".repeat(40)).chars().count(), 31);
    for wanted in ["x'", "Blad 'één' — week 12: uitslag [concept] en meer", "\u{1F600}".repeat(20).as_str()]
    {
        let sheet = Sheet { name: wanted.to_owned(), headers: vec!["a".to_owned()], rows: vec![] };
        assert!(xlsx(&sheet).is_ok(), "{wanted:?} became {:?}", sheet_name(wanted));
    }
}

#[test]
fn an_overlong_cell_is_reported_with_its_position() {
    let mut sheet = attendance();
    sheet.rows[1][3] = Cell::Text("x".repeat(32_768));
    assert!(matches!(xlsx(&sheet), Err(ExportError::CellTooLong { row: 2, column: 4 })));
    sheet.rows[1][3] = Cell::Text("x".repeat(32_767));
    assert!(xlsx(&sheet).is_ok());
}

#[test]
fn an_empty_sheet_still_gives_a_header_and_a_workbook() {
    let sheet = Sheet { name: String::new(), headers: vec!["Naam".to_owned()], rows: vec![] };
    assert_eq!(csv(&sheet), "\u{feff}Naam\r\n".as_bytes());
    let (names, rows, _) = read_xlsx(xlsx(&sheet).unwrap());
    assert_eq!(names, ["Blad1"]);
    assert_eq!(rows, [[Data::String("Naam".to_owned())]]);
}

/// The number format of cell `reference` ("B2"): its style's `numFmtId` in `styles.xml`.
fn number_format(bytes: &[u8], reference: &str) -> String {
    let sheet = xlsx_part(bytes, "xl/worksheets/sheet1.xml");
    let cell = &sheet[sheet.find(&format!(r#"<c r="{reference}""#)).expect("the cell")..];
    let cell = &cell[..cell.find('>').expect("a tag")];
    let style: usize = cell.split(r#"s=""#).nth(1).map_or(0, |s| s[..s.find('"').unwrap()].parse().unwrap());
    let styles = xlsx_part(bytes, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").expect("cell formats")..];
    let xf = xfs.split("<xf ").nth(style + 1).expect("the cell's format");
    xf.split(r#"numFmtId=""#).nth(1).map(|s| s[..s.find('"').unwrap()].to_owned()).unwrap_or_default()
}

#[test]
fn a_share_is_a_number_formatted_as_percent_in_xlsx_and_a_whole_percentage_in_csv() {
    let sheet = Sheet {
        name: "Samenvatting".to_owned(),
        headers: vec!["Antwoord".to_owned(), "Percentage".to_owned()],
        rows: vec![
            vec!["eens".into(), Cell::Percent(5.0 / 12.0)],
            vec!["oneens".into(), Cell::Percent(0.0)],
            vec!["weet ik niet".into(), Cell::Empty],
            vec!["kapot".into(), Cell::Percent(f64::NAN)],
        ],
    };
    let records = read_csv(&csv(&sheet));
    assert_eq!(records[1], ["eens", "42%"]);
    assert_eq!(records[2], ["oneens", "0%"]);
    assert_eq!(records[3], ["weet ik niet", ""]);
    assert_eq!(records[4], ["kapot", ""], "a share of nothing is no percentage");
    let bytes = xlsx(&sheet).unwrap();
    let (_, rows, _) = read_xlsx(bytes.clone());
    assert_eq!(rows[1][1], Data::Float(5.0 / 12.0));
    assert_eq!(rows[2][1], Data::Float(0.0));
    // Excel's built-in format 9 is "0%".
    assert_eq!(number_format(&bytes, "B2"), "9");
    assert_eq!(number_format(&bytes, "B3"), "9");
    assert_ne!(number_format(&bytes, "A2"), "9");
}
