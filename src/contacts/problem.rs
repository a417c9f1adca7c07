//! What can be wrong with a line of a contact list, or with a contact typed on its page: in
//! English for `peil contacts import` (`Display`), in Dutch for the pages (`dutch`).

use std::fmt;

use super::header::accepted_headers;

/// One problem at one line of one file, shown as `FILE:LINE: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub line: u64,
    pub problem: Problem,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.problem)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("this line is not UTF-8 text; in Excel, use \"Save as\" and choose \"CSV UTF-8\"")]
    NotUtf8,
    #[error("the file has no header line; accepted headers: {accepted}", accepted = accepted_headers())]
    NoHeader,
    #[error(
        "unknown column \"{name}\"{hint}; accepted headers: {accepted}",
        hint = suggestion.map(|s| format!(" (looks like \"{s}\")")).unwrap_or_default(),
        accepted = accepted_headers()
    )]
    UnknownColumn { name: String, suggestion: Option<&'static str> },
    #[error("column \"{0}\" appears twice")]
    DuplicateColumn(String),
    #[error("missing column \"{0}\"; accepted headers: {accepted}", accepted = accepted_headers())]
    MissingColumn(&'static str),
    #[error("value \"{value}\" in column {column}, which has no header")]
    OutsideColumns { column: usize, value: String },
    #[error(
        "this line has {cells} of the {columns} columns; a cell or a separator is missing (an empty cell still needs its separator)"
    )]
    ShortRow { cells: usize, columns: usize },
    #[error("the name is empty")]
    EmptyName,
    #[error("\"{0}\" is not a valid e-mail address")]
    BadEmail(String),
    #[error("e-mail {email} is also on line {first_line}")]
    DuplicateEmail { email: String, first_line: u64 },
    #[error("the role is empty; known roles: {known}")]
    EmptyRole { known: String },
    #[error("unknown role \"{value}\"; known roles: {known}")]
    UnknownRole { value: String, known: String },
    #[error("unknown wijk \"{value}\"; known wijken: {known}")]
    UnknownWijk { value: String, known: String },
    #[error("column \"{column}\" holds an invisible control character (U+{code:04X}); retype that cell")]
    ControlCharacter { column: &'static str, code: u32 },
    #[error("unreadable CSV: {0}")]
    Csv(String),
}

impl Problem {
    /// The message for the coordinator's pages.
    pub fn dutch(&self) -> String {
        let accepted = || accepted_headers().replace('/', " of ");
        match self {
            Problem::NotUtf8 => {
                "Deze regel is geen UTF-8-tekst. Kies in Excel \"Opslaan als\" en dan \"CSV UTF-8\".".into()
            }
            Problem::NoHeader => {
                format!("Het bestand heeft geen kopregel. Geldige kolomnamen: {}.", accepted())
            }
            Problem::UnknownColumn { name, suggestion: Some(s) } => {
                format!("Onbekende kolom '{name}'. '{name}' lijkt op '{s}': noem de kolom '{s}'.")
            }
            Problem::UnknownColumn { name, suggestion: None } => {
                format!("Onbekende kolom '{name}'. Geldige kolomnamen: {}.", accepted())
            }
            Problem::DuplicateColumn(name) => format!("De kolom '{name}' staat er twee keer in."),
            Problem::MissingColumn(name) => format!("De kolom '{name}' ontbreekt."),
            Problem::OutsideColumns { column, value } => {
                format!("De waarde '{value}' staat in kolom {column}, die geen kolomnaam heeft.")
            }
            Problem::ShortRow { cells, columns } => format!(
                "Deze regel heeft {cells} van de {columns} kolommen: er ontbreekt een cel of een scheidingsteken (ook een lege cel heeft zijn scheidingsteken nodig)."
            ),
            Problem::EmptyName => "De naam is leeg.".into(),
            Problem::BadEmail(value) => format!("'{value}' is geen geldig e-mailadres."),
            Problem::DuplicateEmail { email, first_line } => {
                format!("Het e-mailadres {email} staat ook op regel {first_line}.")
            }
            Problem::EmptyRole { known } => format!("De rol is leeg. Bekende rollen: {known}."),
            Problem::UnknownRole { value, known } => {
                format!("Onbekende rol '{value}'. Bekende rollen: {known}.")
            }
            Problem::UnknownWijk { value, known } => {
                format!("Onbekende wijk '{value}'. Bekende wijken: {known}.")
            }
            Problem::ControlCharacter { column, code } => format!(
                "De kolom '{column}' bevat een onzichtbaar stuurteken (U+{code:04X}). Typ die cel opnieuw."
            ),
            Problem::Csv(detail) => format!("Het bestand is geen leesbare CSV ({detail})."),
        }
    }

    /// The column a problem is about, by its Dutch name, if it is about one cell: the field of
    /// the edit form that shows it.
    pub fn column(&self) -> Option<&'static str> {
        match self {
            Problem::EmptyName => Some("naam"),
            Problem::BadEmail(_) | Problem::DuplicateEmail { .. } => Some("e-mail"),
            Problem::EmptyRole { .. } | Problem::UnknownRole { .. } => Some("rol"),
            Problem::UnknownWijk { .. } => Some("wijk"),
            Problem::ControlCharacter { column, .. } => Some(column),
            _ => None,
        }
    }
}
