//! CSV and XLSX files for exports: attendance lists now, results later.
//!
//! A [`Sheet`] is a plain table (a name, headers, rows of cells). This module owns how such a table
//! becomes a file someone opens in Dutch Excel: CSV as UTF-8 with a byte-order mark, `;` between
//! fields and a decimal comma; XLSX with a bold frozen header row and text kept as text (a BIG
//! number keeps its leading 0). Every text cell and header is neutralised against formula
//! injection first (OWASP's CSV-injection advice), because names and answers come from people.
//!
//! Opened by double-click, Excel reads a CSV field of digits as a number: `01234567890` loses its
//! leading 0 and eleven digits show as `1,23457E+10`. Such a text cell (digits only, with a
//! leading 0 or eleven digits or more: a BIG number, a postcode-less code) is written as the
//! formula `="01234567890"`, which Excel and LibreOffice show as that text; peil writes it itself
//! from digits alone, so it carries nothing a person typed as a formula.
//!
//! The CSV is written here, not with the `csv` crate's writer, although peil reads CSV with that
//! crate (contacts import, and these tests read the output back with it). Of the format above the
//! writer would take over only the quoting (`csv_text`: a field holding `;`, `"`, CR or LF goes
//! in double quotes, with its quotes doubled); the byte-order mark, the padding, the decimal comma
//! and the neutralisation stay here either way. In return its writer is fallible even into a
//! `Vec` (`csv::Result` per record and on `into_inner`), an error `csv()` would have to pass on
//! or swallow, and it writes a record of one empty field as `""`, which would change the empty
//! rows of a one-column sheet.

use std::borrow::Cow;

use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, XlsxError};

/// Excel's limits: rows per worksheet (one of them is the header), columns, characters per cell
/// (counted in UTF-16 units) and characters per sheet name.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;
const MAX_CELL_UTF16: usize = 32_767;
const MAX_SHEET_NAME_UTF16: usize = 31;

/// Characters Excel refuses in a sheet name.
const SHEET_NAME_FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// Column widths in characters: wide enough for a short header, narrow enough for long answers.
const MIN_WIDTH: u16 = 8;
const MAX_WIDTH: u16 = 60;

/// One table to export.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The worksheet name; [`xlsx`] adapts it to Excel's rules.
    pub name: String,
    pub headers: Vec<String>,
    /// Rows may be shorter or longer than `headers`; missing cells are written empty.
    pub rows: Vec<Vec<Cell>>,
}

/// One cell of a [`Sheet`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Written as text, never as a number or formula (so "01234567890" keeps its 0).
    Text(String),
    /// Written as a number; NaN and infinities have no spreadsheet value and are written empty.
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<f64> for Cell {
    fn from(number: f64) -> Self {
        Cell::Number(number)
    }
}

/// Why an XLSX file could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "the table has {rows} rows and {columns} columns; a worksheet holds at most 1,048,575 rows \
         under its header and 16,384 columns"
    )]
    TooLarge { rows: usize, columns: usize },
    /// `row` counts data rows from 1 (the header is row 0); `column` counts from 1.
    #[error("the text in row {row}, column {column} is longer than the 32,767 characters a cell can hold")]
    CellTooLong { row: usize, column: usize },
    #[error("the XLSX file could not be written")]
    Xlsx(#[from] XlsxError),
}

/// Prefixes an apostrophe to text a spreadsheet would read as a formula or command.
///
/// Covers the characters OWASP lists: `=`, `+`, `-`, `@`, tab and carriage return. Excel hides the
/// apostrophe when it opens a CSV; in an XLSX it stays visible, which is the price of consistency.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The sheet as CSV for Dutch Excel: UTF-8 with a byte-order mark, `;`-separated, CRLF rows.
///
/// Numbers use a decimal comma ("4,5") and whole numbers have no decimals ("12"). Every row is
/// padded to the widest row so the table stays rectangular.
pub fn csv(sheet: &Sheet) -> Vec<u8> {
    let width = table_width(sheet);
    let mut out = String::from("\u{feff}");
    let headers = sheet.headers.iter().map(|header| csv_text(header));
    csv_row(&mut out, headers, width);
    for row in &sheet.rows {
        let fields = row.iter().map(|cell| match cell {
            Cell::Text(text) => csv_text(text),
            Cell::Number(number) => Cow::Owned(decimal_comma(*number)),
            Cell::Empty => Cow::Borrowed(""),
        });
        csv_row(&mut out, fields, width);
    }
    out.into_bytes()
}

/// Writes one row, padded with empty fields to `width` (the widest row, so never shorter).
fn csv_row<'a>(out: &mut String, fields: impl Iterator<Item = Cow<'a, str>>, width: usize) {
    let padded = fields.chain(std::iter::repeat(Cow::Borrowed(""))).take(width);
    for (index, field) in padded.enumerate() {
        if index > 0 {
            out.push(';');
        }
        out.push_str(&field);
    }
    out.push_str("\r\n");
}

/// A neutralised text field, quoted when it holds the separator, a quote or a line break.
fn csv_text(text: &str) -> Cow<'_, str> {
    if read_as_a_number(text) {
        return Cow::Owned(format!("\"=\"\"{text}\"\"\""));
    }
    match neutralise(text) {
        field if field.contains([';', '"', '\r', '\n']) => {
            Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
        }
        field => field,
    }
}

/// Digits that a spreadsheet opening the CSV would turn into a different number: a leading 0
/// dropped, or eleven digits and more shown in exponent form or rounded.
fn read_as_a_number(text: &str) -> bool {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits && ((text.len() > 1 && text.starts_with('0')) || text.len() >= 11)
}

/// Rust prints the shortest text that reads back as the same `f64`, never in exponent form, and
/// whole numbers without decimals; only the decimal point needs changing.
fn decimal_comma(number: f64) -> String {
    if !number.is_finite() {
        return String::new();
    }
    let number = if number == 0.0 { 0.0 } else { number };
    number.to_string().replace('.', ",")
}

fn table_width(sheet: &Sheet) -> usize {
    sheet.rows.iter().map(Vec::len).chain([sheet.headers.len()]).max().unwrap_or(0)
}

/// The sheet as an XLSX workbook with one worksheet.
pub fn xlsx(sheet: &Sheet) -> Result<Vec<u8>, ExportError> {
    let too_large = || ExportError::TooLarge { rows: sheet.rows.len() + 1, columns: table_width(sheet) };
    if sheet.rows.len() + 1 > MAX_ROWS || table_width(sheet) > MAX_COLUMNS {
        return Err(too_large());
    }
    check_cell_lengths(sheet)?;

    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet_name(&sheet.name))?;
    let bold = Format::new().set_bold();
    for (column, header) in sheet.headers.iter().enumerate() {
        let column = ColNum::try_from(column).map_err(|_| too_large())?;
        worksheet.write_string_with_format(0, column, neutralise(header), &bold)?;
    }
    for (row, cells) in sheet.rows.iter().enumerate() {
        let row = RowNum::try_from(row + 1).map_err(|_| too_large())?;
        for (column, cell) in cells.iter().enumerate() {
            let column = ColNum::try_from(column).map_err(|_| too_large())?;
            match cell {
                Cell::Text(text) => {
                    worksheet.write_string(row, column, neutralise(text))?;
                }
                Cell::Number(number) if number.is_finite() => {
                    worksheet.write_number(row, column, *number)?;
                }
                Cell::Number(_) | Cell::Empty => {}
            }
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    for (column, width) in column_widths(sheet).into_iter().enumerate() {
        let column = ColNum::try_from(column).map_err(|_| too_large())?;
        worksheet.set_column_width(column, f64::from(width))?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// Finds the first text too long for a cell, so the caller learns where it is.
fn check_cell_lengths(sheet: &Sheet) -> Result<(), ExportError> {
    let too_long = |text: &str| neutralise(text).encode_utf16().count() > MAX_CELL_UTF16;
    if let Some(column) = sheet.headers.iter().position(|header| too_long(header)) {
        return Err(ExportError::CellTooLong { row: 0, column: column + 1 });
    }
    for (row, cells) in sheet.rows.iter().enumerate() {
        let position = cells.iter().position(|cell| matches!(cell, Cell::Text(text) if too_long(text)));
        if let Some(column) = position {
            return Err(ExportError::CellTooLong { row: row + 1, column: column + 1 });
        }
    }
    Ok(())
}

/// Characters per column: the longest line in header or cells plus a little air, within bounds.
fn column_widths(sheet: &Sheet) -> Vec<u16> {
    let mut widths = vec![0; table_width(sheet)];
    let mut widen = |column: usize, text: &str| {
        let longest = text.lines().map(|line| line.chars().count()).max().unwrap_or(0);
        widths[column] = widths[column].max(longest);
    };
    for (column, header) in sheet.headers.iter().enumerate() {
        widen(column, &neutralise(header));
    }
    for cells in &sheet.rows {
        for (column, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Text(text) => widen(column, &neutralise(text)),
                Cell::Number(number) => widen(column, &decimal_comma(*number)),
                Cell::Empty => {}
            }
        }
    }
    widths
        .into_iter()
        .map(|width| u16::try_from(width + 2).unwrap_or(MAX_WIDTH).clamp(MIN_WIDTH, MAX_WIDTH))
        .collect()
}

/// A worksheet name Excel accepts: forbidden characters become spaces, runs of spaces collapse,
/// no apostrophe at either end, at most 31 characters, never empty and never Excel's reserved
/// "History".
fn sheet_name(wanted: &str) -> String {
    let replaced: String = wanted
        .chars()
        .map(|c| if SHEET_NAME_FORBIDDEN.contains(&c) || c.is_control() { ' ' } else { c })
        .collect();
    let collapsed = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut name = String::new();
    let mut used = 0;
    for c in trim_name(&collapsed).chars() {
        used += c.len_utf16();
        if used > MAX_SHEET_NAME_UTF16 {
            break;
        }
        name.push(c);
    }
    let name = trim_name(&name);
    if name.is_empty() {
        "Blad1".to_owned()
    } else if name.eq_ignore_ascii_case("History") {
        format!("{name} 1")
    } else {
        name.to_owned()
    }
}

fn trim_name(name: &str) -> &str {
    name.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use std::io::{Cursor, Read};

    const HOSTILE: [&str; 6] = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"];

    fn attendance() -> Sheet {
        Sheet {
            name: "Sessie 1: 9 maart [West]".to_owned(),
            headers: vec![
                "Naam".to_owned(),
                "BIG-nummer".to_owned(),
                "Uren".to_owned(),
                "Opmerking".to_owned(),
            ],
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
        for wanted in
            ["x'", "Blad 'één' — week 12: uitslag [concept] en meer", "\u{1F600}".repeat(20).as_str()]
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
}
