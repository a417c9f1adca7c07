//! The header line of a contact list: which column each cell names, in Dutch or English, and for a
//! cell it does not know, the column it most likely meant. Office staff type "E-mail adres" or
//! "Functie" where peil expects "e-mail" and "rol"; the list is still refused (a guessed column
//! could put the wrong data in the wrong place), but the message says what to write instead.

use csv::StringRecord;

use super::Problem;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Name,
    Email,
    Role,
    Practice,
    Wijk,
    Gemeente,
}

/// The accepted headers of each column, the first being its Dutch name.
const COLUMNS: [(Column, &[&str]); 6] = [
    (Column::Name, &["naam", "name"]),
    (Column::Email, &["e-mail", "email", "e-mailadres"]),
    (Column::Role, &["rol", "role"]),
    (Column::Practice, &["praktijk", "practice"]),
    (Column::Wijk, &["wijk", "district"]),
    (Column::Gemeente, &["gemeente", "municipality"]),
];

/// Headers people write for a column that peil does not accept as they are, but suggests.
const VARIANTS: [(Column, &[&str]); 6] = [
    (Column::Name, &["volledige naam", "contactpersoon", "naam contactpersoon"]),
    (Column::Email, &["mail", "mailadres", "e-mail adres", "e-mail-adres", "emailadres"]),
    (Column::Role, &["functie", "beroep", "discipline"]),
    (Column::Practice, &["praktijknaam", "huisartsenpraktijk", "organisatie"]),
    (Column::Wijk, &["stadsdeel", "wijknaam", "regio"]),
    (Column::Gemeente, &["plaats", "woonplaats", "vestigingsplaats"]),
];

pub(super) const REQUIRED: [Column; 3] = [Column::Name, Column::Email, Column::Role];

impl Column {
    fn from_header(header: &str) -> Option<Column> {
        let header = header.trim().to_lowercase();
        COLUMNS.iter().find(|(_, names)| names.contains(&header.as_str())).map(|(c, _)| *c)
    }

    pub(super) fn dutch_name(self) -> &'static str {
        COLUMNS.iter().find(|(c, _)| *c == self).map_or("", |(_, names)| names[0])
    }
}

pub(super) fn accepted_headers() -> String {
    COLUMNS.iter().map(|(_, names)| names.join("/")).collect::<Vec<_>>().join(", ")
}

/// One cell of the header line as the preview shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HeaderCell {
    /// As typed, trimmed.
    pub cell: String,
    /// The Dutch name of the column it was read as.
    pub column: Option<&'static str>,
    /// For a cell that names no column: the one it looks like.
    pub suggestion: Option<&'static str>,
}

/// The column each position of a line holds; `None` for a header cell Excel left empty.
pub(super) type Columns = Vec<Option<Column>>;

/// A header line as read.
pub(super) struct Header {
    /// Each cell as the preview shows it.
    pub cells: Vec<HeaderCell>,
    /// The column of each position; an unknown cell counts as the column it looks like, so that
    /// the rows can be checked too and every problem of a list comes out in one pass.
    pub columns: Columns,
    /// Empty when the header is right.
    pub problems: Vec<Problem>,
    /// Whether `columns` can be used to check the rows: every unknown cell looks like a column,
    /// none twice, and the required ones are there.
    pub readable: bool,
}

pub(super) fn parse_header(header: &StringRecord) -> Header {
    let mut columns: Columns = Vec::new();
    let mut cells = Vec::new();
    let mut problems = Vec::new();
    let mut readable = true;
    for cell in header.iter().map(str::trim) {
        let column = if cell.is_empty() { None } else { Column::from_header(cell) };
        let suggestion = (column.is_none() && !cell.is_empty()).then(|| suggest(cell)).flatten();
        let read_as = column.or(suggestion);
        match column {
            None if !cell.is_empty() => {
                readable &= suggestion.is_some();
                let suggestion = suggestion.map(Column::dutch_name);
                problems.push(Problem::UnknownColumn { name: cell.to_owned(), suggestion });
            }
            Some(c) if columns.contains(&Some(c)) => {
                problems.push(Problem::DuplicateColumn(cell.to_owned()));
            }
            _ => {}
        }
        readable &= read_as.is_none_or(|c| !columns.contains(&Some(c)));
        columns.push(read_as);
        cells.push(HeaderCell {
            cell: cell.to_owned(),
            column: column.map(Column::dutch_name),
            suggestion: suggestion.map(Column::dutch_name),
        });
    }
    // A required column that an unknown cell looks like is not reported missing as well: the
    // message about that cell already says what to call it.
    let missing: Vec<Column> = REQUIRED.into_iter().filter(|c| !columns.contains(&Some(*c))).collect();
    readable &= missing.is_empty();
    problems.extend(missing.into_iter().map(|c| Problem::MissingColumn(c.dutch_name())));
    Header { cells, columns, problems, readable }
}

/// The column an unknown header most likely means: one whose accepted name or common variant it
/// equals once case, accents, spaces and punctuation are set aside, or else is at most a typing
/// mistake or two away from ("Gemeennte", "Emial").
pub fn suggest_column(header: &str) -> Option<&'static str> {
    suggest(header).map(Column::dutch_name)
}

fn suggest(header: &str) -> Option<Column> {
    let typed = normalise(header);
    if typed.is_empty() {
        return None;
    }
    let known =
        COLUMNS.iter().chain(VARIANTS.iter()).flat_map(|(c, names)| names.iter().map(move |n| (*c, n)));
    let (column, distance) = known
        .map(|(column, name)| (column, edit_distance(&typed, &normalise(name))))
        .min_by_key(|(_, distance)| *distance)?;
    // Short headers need a closer match: "id" is not "rol".
    let allowed = match typed.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    };
    (distance <= allowed).then_some(column)
}

/// Lower case, without accents, spaces or punctuation: "E-mail adres" is "emailadres".
fn normalise(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_that_differs_only_in_spacing_or_punctuation_is_suggested() {
        assert_eq!(suggest_column("E-mail adres"), Some("e-mail"));
        assert_eq!(suggest_column("E_MAIL"), Some("e-mail"));
        assert_eq!(suggest_column("Functie"), Some("rol"));
        assert_eq!(suggest_column("Woonplaats"), Some("gemeente"));
    }

    #[test]
    fn a_typing_mistake_is_suggested_but_an_unrelated_header_is_not() {
        assert_eq!(suggest_column("Gemeennte"), Some("gemeente"));
        assert_eq!(suggest_column("Praktjik"), Some("praktijk"));
        assert_eq!(suggest_column("telefoon"), None);
        assert_eq!(suggest_column("id"), None);
        assert_eq!(suggest_column("---"), None);
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("wijk", "wijk"), 0);
    }
}
