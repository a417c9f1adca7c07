//! `Access`: the one way a reader gets at a round's results, for the werkgroep's pages and for
//! `peil export` alike. It owns the rules both must keep, so they exist once: figures only once
//! the round has closed, a per-wijk round read as its own wijk, nothing for a group the
//! disclosure hides, and an audit entry (who, what) for every free text read and file exported.

use chrono::{DateTime, Utc};

use super::export::{self, Audience};
use super::load::{self, LoadError, RoundResults, RoundRow};
use super::privacy::Disclosure;
use super::readers::{self, Address};
use super::{Filter, QuestionResult, Summary, Threshold};
use crate::audit::{Actor, AuditAction, Entry, round_subject};
use crate::db::Db;
use crate::rounds::{self, Round, RoundId, RoundsError};
use crate::spreadsheet::{self, ExportError, Sheet};

/// Who reads: what they may see of a round's people, and how the audit log names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reader {
    /// A logged-in werkgroep member (who, capacity, from where); `admin` when they are an
    /// administrator.
    Member { actor: Actor, admin: bool },
    /// The administrator at the command line (`peil export`), who has no account.
    Cli,
}

impl Reader {
    fn actor(&self) -> Actor {
        match self {
            Reader::Member { actor, .. } => actor.clone(),
            Reader::Cli => Actor::cli(),
        }
    }

    fn audience(&self) -> Audience {
        match self {
            Reader::Member { admin: false, .. } => Audience::Werkgroep,
            Reader::Member { admin: true, .. } | Reader::Cli => Audience::Admin,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// No such round, or one whose form snapshot cannot be read.
    #[error(transparent)]
    Round(RoundsError),
    #[error("round {0} is still open; its responses can be exported once it closes")]
    StillOpen(RoundId),
    #[error("round {round} has fewer than {threshold} respondents: nothing is exported")]
    TooFew { round: RoundId, threshold: u32 },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    File(#[from] ExportError),
    #[error("audit log: {0}")]
    Audit(#[from] sqlx::Error),
    #[error(transparent)]
    Pool(#[from] crate::responses::ResponsesError),
}

impl AccessError {
    /// Whether the reader is told no more than that it is not there (a round that does not
    /// exist, is still open, or whose group is too small), rather than that something failed.
    pub fn is_not_there(&self) -> bool {
        match self {
            AccessError::Round(RoundsError::Db(_)) => false,
            AccessError::Round(_) | AccessError::StillOpen(_) | AccessError::TooFew { .. } => true,
            AccessError::Load(_) | AccessError::File(_) | AccessError::Audit(_) | AccessError::Pool(_) => {
                false
            }
        }
    }
}

/// A sheet to export: every response (of the round's own scope), or a group's summaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Export {
    Responses,
    Summary(Filter),
}

impl Export {
    /// The name the file is known by: `antwoorden`, `samenvatting`.
    pub fn name(&self) -> &'static str {
        match self {
            Export::Responses => "antwoorden",
            Export::Summary(_) => "samenvatting",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `;`-separated, UTF-8 with a BOM, for Dutch Excel.
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn write(self, sheet: &Sheet) -> Result<Vec<u8>, ExportError> {
        match self {
            Format::Csv => Ok(spreadsheet::csv(sheet)),
            Format::Xlsx => spreadsheet::xlsx(sheet),
        }
    }
}

/// An exported file: its bytes and how many rows its sheet has.
pub struct File {
    pub bytes: Vec<u8>,
    pub rows: usize,
}

/// What was read, for the audit entry's detail, with the group it was read for: a series of
/// views by different filters (an attempt to subtract one group from another) shows in the log.
#[derive(Clone, Copy, Debug)]
enum Read<'a> {
    Results {
        filter: &'a Filter,
    },
    FreeText {
        question: &'a str,
        filter: &'a Filter,
    },
    Addresses {
        question: &'a str,
    },
    /// A file: its name and extension (`antwoorden`, `csv`), and the group for a summary.
    File {
        name: &'a str,
        extension: &'a str,
        filter: Option<&'a Filter>,
    },
}

/// One round as one reader may see it at one moment.
pub struct Access {
    round: Round,
    row: RoundRow,
    siblings: Vec<RoundId>,
    threshold: Threshold,
    disclosure: Disclosure,
    reader: Reader,
    now: DateTime<Utc>,
}

impl Access {
    /// Reads round `id` with what its disclosure is decided on (the respondents of its
    /// siblings), for `reader` at `now`; `configured` is the settings' `min_group_size`.
    pub async fn open(
        db: &Db,
        seal: &crate::responses::Seal,
        id: RoundId,
        reader: Reader,
        configured: u32,
        now: DateTime<Utc>,
    ) -> Result<Access, AccessError> {
        // Anonymous responses that still wait in the pool of a round that has closed are released
        // first (the scheduler does so within a heartbeat, but a reader may come sooner).
        crate::responses::pool::release_closed(db, seal, now).await?;
        let pool = db.read();
        let round = rounds::load(pool, id).await.map_err(AccessError::Round)?;
        let row = load::one_round(pool, id).await?;
        let row = row.ok_or(AccessError::Round(RoundsError::UnknownRound(id)))?;
        let threshold = Threshold::of(&round.form, configured);
        let siblings = load::siblings(pool, &row).await?;
        let disclosure = Disclosure::new(&load::respondents(pool, &siblings).await?, threshold);
        Ok(Access { round, row, siblings, threshold, disclosure, reader, now })
    }

    pub fn round(&self) -> &Round {
        &self.round
    }

    pub fn row(&self) -> &RoundRow {
        &self.row
    }

    /// The rounds judged together with this one (see [`load::siblings`]).
    pub fn siblings(&self) -> &[RoundId] {
        &self.siblings
    }

    pub fn threshold(&self) -> Threshold {
        self.threshold
    }

    pub fn disclosure(&self) -> &Disclosure {
        &self.disclosure
    }

    pub fn is_closed(&self) -> bool {
        closed(self.round.closes_at, self.now)
    }

    /// The group a reader asking for `wijk` and `role` gets (see [`scope`]).
    pub fn scope(&self, wijk: Option<String>, role: Option<String>) -> Filter {
        scope(&self.row.part, wijk, role)
    }

    /// The group's results, with the view recorded in the audit log; `None` while the round is
    /// open or when the group may not be shown (then nothing was read, and nothing is recorded).
    pub async fn results(&self, db: &Db, filter: &Filter) -> Result<Option<RoundResults>, AccessError> {
        let results = self.load_results(db, filter).await?;
        if let Some(results) = &results {
            let people = results.respondents;
            self.record(db, AuditAction::ResultsViewed, Read::Results { filter }, people).await?;
        }
        Ok(results)
    }

    async fn load_results(&self, db: &Db, filter: &Filter) -> Result<Option<RoundResults>, AccessError> {
        if !self.is_closed() {
            return Ok(None);
        }
        Ok(load::round_results(db, &self.round, filter, &self.disclosure).await?)
    }

    /// One question's result for the group; `None` as for [`Access::results`], or when the
    /// form has no such question.
    pub async fn question(
        &self,
        db: &Db,
        filter: &Filter,
        question: &str,
    ) -> Result<Option<QuestionResult>, AccessError> {
        if !self.is_closed() {
            return Ok(None);
        }
        Ok(load::question_result(db, &self.round, filter, &self.disclosure, question).await?)
    }

    /// Whether the group's lists (its free texts) may be read: a list can be subtracted from
    /// another as a set, so this is the disclosure's list rule, stricter than the one for counts.
    pub fn lists(&self, filter: &Filter) -> bool {
        self.disclosure.lists(filter)
    }

    /// The free texts the group gave to `question` (its answers, or its "Anders" texts), with
    /// the reading recorded in the audit log; `None` as for [`Access::question`], and for a group
    /// whose lists may not be read ([`Access::lists`]).
    pub async fn free_text(
        &self,
        db: &Db,
        filter: &Filter,
        question: &str,
    ) -> Result<Option<Vec<String>>, AccessError> {
        if !self.lists(filter) {
            return Ok(None);
        }
        let Some(result) = self.question(db, filter, question).await? else { return Ok(None) };
        let texts = match result.summary {
            Summary::Texts(texts) => texts,
            Summary::Choices { other_texts, .. } => other_texts,
            // Fewer than the threshold wrote one: their texts are theirs alone.
            Summary::Withheld(_) => return Ok(None),
            _ => Vec::new(),
        };
        let people = texts.len() as u64;
        self.record(db, AuditAction::FreeTextViewed, Read::FreeText { question, filter }, people).await?;
        Ok(Some(texts))
    }

    /// Whether this reader may list the e-mail addresses given to `question` (see
    /// [`readers::address_question`]).
    pub fn may_read_addresses(&self, question: &str) -> bool {
        let admin = self.reader.audience() == Audience::Admin;
        readers::address_question(&self.round, question, admin).is_some()
    }

    /// The e-mail addresses the round's respondents gave to `question`, each with the name of
    /// who gave it, with the reading recorded as a free-text read; `None` when this reader may
    /// not list them, and as for [`Access::free_text`] for the round's own scope.
    pub async fn addresses(&self, db: &Db, question: &str) -> Result<Option<Vec<Address>>, AccessError> {
        let scope = self.scope(None, None);
        if !self.may_read_addresses(question) || !self.is_closed() || !self.lists(&scope) {
            return Ok(None);
        }
        let addresses = readers::addresses(db.read(), &self.round, &scope, question).await?;
        let people = addresses.len() as u64;
        self.record(db, AuditAction::FreeTextViewed, Read::Addresses { question }, people).await?;
        Ok(Some(addresses))
    }

    /// Every free text of `results` (the group's results, from [`Access::results`] for the same
    /// `filter`) by question id, each question's reading recorded as [`Access::free_text`]
    /// records it; `None` for a group whose lists may not be read. For the printable report,
    /// which shows the texts under their questions.
    pub async fn free_texts(
        &self,
        db: &Db,
        filter: &Filter,
        results: &[QuestionResult],
    ) -> Result<Option<Vec<(String, Vec<String>)>>, AccessError> {
        if !self.lists(filter) || !self.is_closed() {
            return Ok(None);
        }
        let mut found = Vec::new();
        for result in results {
            let texts = match &result.summary {
                Summary::Texts(texts) => texts,
                Summary::Choices { other_texts, .. } => other_texts,
                _ => continue,
            };
            if texts.is_empty() {
                continue;
            }
            let question = result.id.as_str();
            let people = texts.len() as u64;
            self.record(db, AuditAction::FreeTextViewed, Read::FreeText { question, filter }, people).await?;
            found.push((result.id.clone(), texts.clone()));
        }
        Ok(Some(found))
    }

    /// A closed round's sheet as a file, recorded in the audit log before it leaves. Refused
    /// while the round is open, and when the group may not be shown (for the responses: the
    /// round's own scope, everyone or its wijk).
    pub async fn export(&self, db: &Db, what: &Export, format: Format) -> Result<File, AccessError> {
        if !self.is_closed() {
            return Err(AccessError::StillOpen(self.round.id));
        }
        // With the sheet, how many people's answers it holds: a row each, or the group's count.
        let sheet = match what {
            Export::Responses => {
                let scope = self.scope(None, None);
                let audience = self.reader.audience();
                let sheet =
                    export::responses(db.read(), &self.round, &self.disclosure, &scope, audience).await?;
                sheet.map(|s| (s.rows.len() as u64, s))
            }
            Export::Summary(filter) => {
                let results = self.load_results(db, filter).await?;
                results.map(|r| (r.respondents, export::summary(&r.questions)))
            }
        };
        let too_few = AccessError::TooFew { round: self.round.id, threshold: self.threshold.0 };
        let (people, sheet) = sheet.ok_or(too_few)?;
        let bytes = format.write(&sheet)?;
        let filter = match what {
            Export::Responses => None,
            Export::Summary(filter) => Some(filter),
        };
        let file = Read::File { name: what.name(), extension: format.extension(), filter };
        self.record(db, AuditAction::Exported, file, people).await?;
        Ok(File { bytes, rows: sheet.rows.len() })
    }

    /// Records a file made of the group's results elsewhere (a chart, the PDF report) as an
    /// export named `name.extension`, of `people` people's answers.
    pub async fn exported(
        &self,
        db: &Db,
        (name, extension): (&str, &str),
        filter: &Filter,
        people: u64,
    ) -> Result<(), AccessError> {
        let file = Read::File { name, extension, filter: Some(filter) };
        self.record(db, AuditAction::Exported, file, people).await
    }

    /// The access-log entry for what this reader read of this round, of `people` people.
    async fn record(
        &self,
        db: &Db,
        action: AuditAction,
        read: Read<'_>,
        people: u64,
    ) -> Result<(), AccessError> {
        let detail = detail(self.round.id, &self.reader, read);
        let actor = self.reader.actor();
        let people = usize::try_from(people).unwrap_or(usize::MAX);
        let entry = Entry::new(action, &actor, self.now).about(round_subject(self.round.id, people));
        entry.detail(detail).log(db).await?;
        Ok(())
    }
}

/// The group a request asks for: in a per-wijk round (`part` its wijk) always that wijk, with
/// the role asked; otherwise the wijk and role asked. A blank choice is no choice.
pub fn scope(part: &str, wijk: Option<String>, role: Option<String>) -> Filter {
    let keep = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    let wijk = if part.is_empty() { keep(wijk) } else { Some(part.to_owned()) };
    Filter { wijk, role: keep(role) }
}

/// A round closes at its closing moment: from then on its results may be read.
pub fn closed(closes_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    closes_at <= now
}

/// The audit detail: which round, what of it, and for which group (nothing for everyone). The
/// command line names itself instead of a file, as its entries always have.
fn detail(round: RoundId, reader: &Reader, read: Read<'_>) -> String {
    match (reader, read) {
        (Reader::Cli, Read::File { .. }) => format!("ronde {round} (peil export)"),
        (_, Read::File { name, extension, filter }) => {
            format!("ronde {round}, {name}.{extension}{}", filter.map(group).unwrap_or_default())
        }
        (_, Read::FreeText { question, filter }) => {
            format!("ronde {round}, vraag {question}{}", group(filter))
        }
        (_, Read::Addresses { question }) => format!("ronde {round}, e-mailadressen bij vraag {question}"),
        (_, Read::Results { filter }) => format!("ronde {round}{}", group(filter)),
    }
}

/// `, wijk noord, rol huisarts` for the filter's choices, empty for everyone.
fn group(filter: &Filter) -> String {
    let wijk = filter.wijk.as_ref().map(|w| format!(", wijk {w}"));
    let role = filter.role.as_ref().map(|r| format!(", rol {r}"));
    wijk.into_iter().chain(role).collect()
}

#[cfg(test)]
mod tests;
