//! Reading a contact list the way office staff make one: exported from Excel as CSV, in UTF-8
//! with or without BOM, split by `;` (Dutch Excel) or `,`, with Dutch or English headers.
//! Pure: bytes in, either checked contacts or every problem with its line, so a list is fixed
//! in one pass instead of one error per attempt.

use std::collections::HashMap;

use super::header::{Column, HeaderCell, parse_header};
use super::{ContactsError, NewContact, Problem, RowError, Vocabulary};
use crate::email::EmailAddress;
use csv::StringRecord;

/// A list as read: its header, the contacts of the lines that are right (with their lines), and
/// every problem of the others. Importing needs no problem at all; the preview shows both.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub header: Vec<HeaderCell>,
    pub rows: Vec<(u64, NewContact)>,
    pub problems: Vec<RowError>,
}

/// Checks a whole contact list; on any problem, returns all of them and no contacts.
pub fn parse_csv(
    file_label: &str,
    bytes: &[u8],
    vocab: &Vocabulary,
) -> Result<Vec<NewContact>, ContactsError> {
    let parsed = parse(file_label, bytes, vocab);
    if parsed.problems.is_empty() {
        Ok(parsed.rows.into_iter().map(|(_, contact)| contact).collect())
    } else {
        Err(ContactsError::Rows(parsed.problems))
    }
}

/// Reads a whole contact list, keeping what is right apart from what is not.
pub fn parse(file_label: &str, bytes: &[u8], vocab: &Vocabulary) -> Parsed {
    let at = |line: u64, problem: Problem| RowError { file: file_label.to_owned(), line, problem };
    let refused = |problems: Vec<RowError>| Parsed { problems, ..Parsed::default() };
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(line) => return refused(vec![at(line, Problem::NotUtf8)]),
    };
    let mut records = match read_records(text) {
        Ok(records) => records,
        Err((line, problem)) => return refused(vec![at(line, problem)]),
    };
    if records.is_empty() {
        return refused(vec![at(1, Problem::NoHeader)]);
    }
    let (header_line, header) = records.remove(0);
    let header = parse_header(&header);
    let problems = header.problems.into_iter().map(|p| at(header_line, p)).collect();
    let mut parsed = Parsed { header: header.cells, rows: Vec::new(), problems };
    if !header.readable {
        return parsed;
    }
    let columns = header.columns;
    let mut first_line_of: HashMap<EmailAddress, u64> = HashMap::new();
    for (line, record) in records {
        match parse_row(&columns, &record, vocab) {
            Ok(contact) => match first_line_of.get(&contact.email) {
                Some(&first_line) => {
                    let email = contact.email.into();
                    parsed.problems.push(at(line, Problem::DuplicateEmail { email, first_line }));
                }
                None => {
                    first_line_of.insert(contact.email.clone(), line);
                    parsed.rows.push((line, contact));
                }
            },
            Err(problems) => parsed.problems.extend(problems.into_iter().map(|p| at(line, p))),
        }
    }
    parsed
}

/// The text without BOM, or the line of the first byte that is not UTF-8. Only the first bad
/// line is reported: a Latin-1 file has them everywhere and the fix is the same for all.
fn decode(bytes: &[u8]) -> Result<&str, u64> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        1 + before.iter().filter(|&&b| b == b'\n').count() as u64
    })
}

/// `;` when the header line has more of them than commas: Dutch Excel writes `;` because the
/// comma is the decimal separator, and names like "Jansen, J." then need no quotes.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    let count = |c: char| header.matches(c).count();
    if count(';') > count(',') { b';' } else { b',' }
}

/// Every record that has some content, with the line it starts on. Excel writes a row it
/// considers used but empty as `;;;;`, so those count as empty lines too.
fn read_records(text: &str) -> Result<Vec<(u64, StringRecord)>, (u64, Problem)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(text))
        .from_reader(text.as_bytes());
    let line_of = line_finder(text);
    let mut records = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map_or(1, |p| line_of(p.byte()));
            (line, Problem::Csv(e.to_string()))
        })?;
        let line = record.position().map_or(1, |p| line_of(p.byte()));
        if record.iter().any(|cell| !cell.trim().is_empty()) {
            records.push((line, record));
        }
    }
    Ok(records)
}

/// Line numbers from byte offsets. csv's own `line()` lags by one after a CRLF (the record
/// starts between `\r` and `\n`), and Excel always writes CRLF; so skip the line break the
/// record position may sit on, then count the newlines before it.
fn line_finder(text: &str) -> impl Fn(u64) -> u64 + '_ {
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    move |byte| {
        let byte = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
        let skip = text.as_bytes()[byte..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        1 + newlines.partition_point(|&i| i < byte + skip) as u64
    }
}

fn parse_row(
    columns: &[Option<Column>],
    record: &StringRecord,
    vocab: &Vocabulary,
) -> Result<NewContact, Vec<Problem>> {
    let cell = |wanted: Column| {
        let index = columns.iter().position(|c| *c == Some(wanted));
        index.and_then(|i| record.get(i)).unwrap_or("")
    };
    let mut problems: Vec<Problem> = record
        .iter()
        .enumerate()
        .filter(|(i, value)| columns.get(*i).is_none_or(Option::is_none) && !value.trim().is_empty())
        .map(|(i, value)| Problem::OutsideColumns { column: i + 1, value: value.trim().to_owned() })
        .collect();
    // A row that stops early would leave its last columns (often the wijk) empty without a word,
    // and a per-wijk round would then pass that person by.
    let needed = columns.iter().rposition(Option::is_some).map_or(0, |last| last + 1);
    if record.len() < needed {
        problems.push(Problem::ShortRow { cells: record.len(), columns: needed });
    }
    let raw = RawContact {
        name: cell(Column::Name),
        email: cell(Column::Email),
        role: cell(Column::Role),
        practice: cell(Column::Practice),
        wijk: cell(Column::Wijk),
        gemeente: cell(Column::Gemeente),
    };
    match check_contact(vocab, &raw) {
        Ok(contact) if problems.is_empty() => Ok(contact),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// A contact as typed, cell by cell: a line of a list, or the form on a contact's page.
#[derive(Clone, Copy, Debug, Default)]
pub struct RawContact<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub practice: &'a str,
    pub wijk: &'a str,
    pub gemeente: &'a str,
}

/// The checks every contact passes, wherever it was typed: a name, an address peil accepts, a
/// known role, a known wijk or none, and no control character anywhere. All problems at once.
pub fn check_contact(vocab: &Vocabulary, raw: &RawContact<'_>) -> Result<NewContact, Vec<Problem>> {
    let cells = [
        (Column::Name, raw.name),
        (Column::Email, raw.email),
        (Column::Role, raw.role),
        (Column::Practice, raw.practice),
        (Column::Wijk, raw.wijk),
        (Column::Gemeente, raw.gemeente),
    ];
    // Before trimming: a line break at the end of a cell is as harmful as one inside it.
    let mut problems: Vec<Problem> = cells
        .iter()
        .filter_map(|(column, value)| {
            super::control_character(value)
                .map(|c| Problem::ControlCharacter { column: column.dutch_name(), code: u32::from(c) })
        })
        .collect();
    let name = raw.name.trim();
    if name.is_empty() {
        problems.push(Problem::EmptyName);
    }
    let (email, role, wijk) = (
        parse_email(raw.email.trim()),
        parse_role(vocab, raw.role.trim()),
        parse_wijk(vocab, raw.wijk.trim()),
    );
    match (email, role, wijk) {
        (Ok(email), Ok(role), Ok(wijk)) if problems.is_empty() => Ok(NewContact {
            email,
            name: name.to_owned(),
            role: role.to_owned(),
            practice: raw.practice.trim().to_owned(),
            wijk: wijk.to_owned(),
            gemeente: raw.gemeente.trim().to_owned(),
        }),
        (email, role, wijk) => {
            problems.extend([email.err(), role.err(), wijk.err()].into_iter().flatten());
            Err(problems)
        }
    }
}

fn parse_role<'v>(vocab: &'v Vocabulary, value: &str) -> Result<&'v str, Problem> {
    let known = || known(&vocab.roles);
    if value.is_empty() {
        return Err(Problem::EmptyRole { known: known() });
    }
    vocab.role(value).ok_or_else(|| Problem::UnknownRole { value: value.to_owned(), known: known() })
}

/// An empty wijk is fine: regional roles (coordinator, GGZ partner) belong to no wijk.
fn parse_wijk<'v>(vocab: &'v Vocabulary, value: &str) -> Result<&'v str, Problem> {
    if value.is_empty() {
        return Ok("");
    }
    vocab
        .wijk(value)
        .ok_or_else(|| Problem::UnknownWijk { value: value.to_owned(), known: known(&vocab.wijken) })
}

/// The one rule for every address peil accepts (`crate::email`); the cell as typed goes into
/// the message.
fn parse_email(value: &str) -> Result<EmailAddress, Problem> {
    EmailAddress::parse(value).map_err(|_| Problem::BadEmail(value.to_owned()))
}

fn known(list: &[(String, String)]) -> String {
    list.iter().map(|(value, _)| value.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        let pairs =
            |list: &[(&str, &str)]| list.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
        Vocabulary {
            roles: pairs(&[("huisarts", "Huisarts"), ("poh-ggz", "POH-GGZ"), ("coordinator", "Coördinator")]),
            wijken: pairs(&[("noord", "Noord"), ("centrum", "Binnenstad")]),
        }
    }

    fn header(line: &str) -> Result<Vec<Option<Column>>, Vec<Problem>> {
        let records = read_records(line).expect("readable");
        let header = parse_header(&records[0].1);
        if header.problems.is_empty() { Ok(header.columns) } else { Err(header.problems) }
    }

    fn messages(csv: &str) -> Vec<String> {
        match parse_csv("l.csv", csv.as_bytes(), &vocab()) {
            Err(ContactsError::Rows(rows)) => rows.iter().map(ToString::to_string).collect(),
            other => panic!("expected row errors, got {other:?}"),
        }
    }

    #[test]
    fn dutch_excel_semicolons_are_detected_even_with_commas_in_names() {
        assert_eq!(detect_delimiter("Naam;E-mail;Rol\r\n\"Jansen, J.\";j@x.nl;huisarts"), b';');
    }

    #[test]
    fn a_comma_header_means_commas() {
        assert_eq!(detect_delimiter("name,email,role\n"), b',');
    }

    #[test]
    fn blank_lines_before_the_header_do_not_confuse_detection() {
        assert_eq!(detect_delimiter("\n  \nnaam;e-mail;rol\n"), b';');
    }

    #[test]
    fn headers_match_in_either_language_whatever_the_case_and_spacing() {
        let columns = header(" NAAM ; E-mailadres;Role;Practice; district ;Gemeente\n").expect("valid");
        let expected =
            [Column::Name, Column::Email, Column::Role, Column::Practice, Column::Wijk, Column::Gemeente];
        assert_eq!(columns, expected.map(Some));
    }

    #[test]
    fn unknown_duplicate_and_missing_columns_are_all_reported() {
        let problems = header("naam;telefoon;name\n").expect_err("invalid");
        assert_eq!(
            problems,
            [
                Problem::UnknownColumn { name: "telefoon".into(), suggestion: None },
                Problem::DuplicateColumn("name".into()),
                Problem::MissingColumn("e-mail"),
                Problem::MissingColumn("rol"),
            ]
        );
    }

    #[test]
    fn a_misnamed_column_is_read_as_the_one_it_looks_like_so_the_rows_are_checked_too() {
        assert_eq!(
            messages("naam;E-mail adres;rol\nAnna;a@x.nl;huisarts\nBas;b@x.nl;tandarts\n"),
            [
                "l.csv:1: unknown column \"E-mail adres\" (looks like \"e-mail\"); accepted headers: naam/name, \
                 e-mail/email/e-mailadres, rol/role, praktijk/practice, wijk/district, gemeente/municipality",
                "l.csv:3: unknown role \"tandarts\"; known roles: huisarts, poh-ggz, coordinator",
            ]
        );
        // An unknown column like no other leaves the rows unchecked: their cells cannot be placed.
        assert_eq!(messages("naam;e-mail;rol;telefoon\nAnna;a@x.nl;tandarts;06\n").len(), 1);
    }

    #[test]
    fn an_empty_header_cell_is_ignored_until_a_row_puts_a_value_under_it() {
        assert_eq!(header("naam;e-mail;rol;\n").expect("valid").last(), Some(&None));
        assert_eq!(
            messages("naam;e-mail;rol;\nAnna;a@x.nl;huisarts;\nBas;b@x.nl;huisarts;oeps\n"),
            ["l.csv:3: value \"oeps\" in column 4, which has no header"]
        );
    }

    #[test]
    fn bom_labels_and_empty_wijk_give_clean_codes() {
        let csv = "\u{feff}Naam;E-mail;Rol;Wijk\r\nAnna;Anna@X.nl; POH-GGZ ;binnenstad\r\nCees;c@x.nl;Coördinator;\r\n";
        let contacts = parse_csv("l.csv", csv.as_bytes(), &vocab()).expect("valid");
        let codes: Vec<_> = contacts.iter().map(|c| (c.email.as_str(), &*c.role, &*c.wijk)).collect();
        assert_eq!(codes, [("anna@x.nl", "poh-ggz", "centrum"), ("c@x.nl", "coordinator", "")]);
    }

    #[test]
    fn empty_and_excel_blank_rows_are_skipped_and_lines_still_count() {
        // The quoted line break is refused too, and its row still counts as two lines.
        let csv = "naam;e-mail;rol\n\n;;\n\"Anna\nde Vries\";a@x.nl;huisarts\nBas;b@x.nl;tandarts\n";
        assert_eq!(
            messages(csv),
            [
                "l.csv:4: column \"naam\" holds an invisible control character (U+000A); retype that cell",
                "l.csv:6: unknown role \"tandarts\"; known roles: huisarts, poh-ggz, coordinator",
            ]
        );
    }

    #[test]
    fn lines_are_counted_right_in_an_excel_file_with_crlf() {
        let csv = "naam;e-mail;rol\r\n\r\nAnna;a@x.nl;huisarts\r\nBas;b@x.nl;tandarts\r\n";
        assert_eq!(
            messages(csv),
            ["l.csv:4: unknown role \"tandarts\"; known roles: huisarts, poh-ggz, coordinator"]
        );
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        assert_eq!(
            messages("naam,email,role,district\n,jan@localhost,,zuid\n"),
            [
                "l.csv:2: the name is empty",
                "l.csv:2: \"jan@localhost\" is not a valid e-mail address",
                "l.csv:2: the role is empty; known roles: huisarts, poh-ggz, coordinator",
                "l.csv:2: unknown wijk \"zuid\"; known wijken: noord, centrum",
            ]
        );
    }

    #[test]
    fn a_control_character_in_a_cell_is_refused_naming_its_column() {
        assert_eq!(
            messages("naam;e-mail;rol;praktijk\nAn\0na;a@x.nl;huisarts;P\u{7}\n"),
            [
                "l.csv:2: column \"naam\" holds an invisible control character (U+0000); retype that cell",
                "l.csv:2: column \"praktijk\" holds an invisible control character (U+0007); retype that cell",
            ]
        );
    }

    #[test]
    fn a_line_break_or_tab_in_a_quoted_cell_is_refused_like_any_control_character() {
        assert_eq!(
            messages("naam;e-mail;rol;praktijk\n\"An\nna\";a@x.nl;huisarts;\"De\tBrug\"\n"),
            [
                "l.csv:2: column \"naam\" holds an invisible control character (U+000A); retype that cell",
                "l.csv:2: column \"praktijk\" holds an invisible control character (U+0009); retype that cell",
            ]
        );
    }

    #[test]
    fn an_address_with_a_display_name_is_refused() {
        assert_eq!(
            messages("naam;e-mail;rol\nAnna;Anna <a@x.nl>;huisarts\n"),
            ["l.csv:2: \"Anna <a@x.nl>\" is not a valid e-mail address"]
        );
    }

    #[test]
    fn an_empty_file_says_which_headers_it_wants() {
        assert_eq!(
            messages("\u{feff}\r\n"),
            ["l.csv:1: the file has no header line; accepted headers: naam/name, e-mail/email/e-mailadres, \
              rol/role, praktijk/practice, wijk/district, gemeente/municipality"]
        );
    }
}
