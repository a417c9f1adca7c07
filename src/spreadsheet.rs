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
    /// A share as a fraction (0.25 for 25%): in XLSX a number shown with the `0%` format, so it
    /// can be summed and charted; in CSV the whole percentage as the page shows it ("25%").
    Percent(f64),
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
            Cell::Percent(share) => Cow::Owned(whole_percent(*share)),
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

/// "25%": a share rounded to whole percents, as the results pages show it; empty when not finite.
fn whole_percent(share: f64) -> String {
    if !share.is_finite() {
        return String::new();
    }
    format!("{}%", decimal_comma((share * 100.0).round()))
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
    // Excel's built-in format 9 is "0%", which every locale knows (a custom "0%" would do too).
    let percent = Format::new().set_num_format_index(9);
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
                Cell::Percent(share) if share.is_finite() => {
                    worksheet.write_number_with_format(row, column, *share, &percent)?;
                }
                Cell::Number(_) | Cell::Percent(_) | Cell::Empty => {}
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
                Cell::Percent(share) => widen(column, &whole_percent(*share)),
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
mod tests;
