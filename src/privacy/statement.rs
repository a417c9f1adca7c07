//! The privacy statement of one form (`/privacy/<form>`, article 13): who is responsible and
//! how to reach them, why the form asks what it asks, what it asks and which of it says who you
//! are, whether the answers are anonymous, who sees what, how long it is kept and how to ask for
//! your data. This is the data; `templates/privacy/statement.html.tera` words it for a GP.

use serde::Serialize;

use super::asked::{Asked, AskedQuestion};
use super::{Anonymity, Setup, capitalised, jobs_of};
use crate::forms::{Form, FormKind, ReadBy};
use crate::jobs::{Job, Jobs};
use crate::results::Threshold;

/// A form's statement, ready for the template.
#[derive(Clone, Debug, Serialize)]
pub struct Statement {
    pub form: String,
    pub title: String,
    pub purpose: Option<String>,
    pub signup: bool,
    pub anonymity: Anonymity,
    /// The smallest group whose results the werkgroep sees, with the form's own minimum.
    pub threshold: u32,
    pub responsible: Responsible,
    pub questions: Vec<AskedQuestion>,
    /// "uw e-mailadres", "uw BIG-nummer": what the questions ask that says who you are.
    pub identifying: Vec<&'static str>,
    pub free_text: bool,
    /// The registers whose numbers a sign-up asks for its accreditation.
    pub registers: Vec<String>,
    /// Anyone may ask for a link on a public page (`/f/<slug>`), giving name and address.
    pub open_registration: bool,
    /// Werkgroep members may read the e-mail addresses an identified round collected.
    pub werkgroep_reads_addresses: bool,
    /// How long what is kept; empty until the retention terms are wired in.
    pub retention: Vec<String>,
    pub mail_relay: bool,
}

/// Who is responsible for the data (de verwerkingsverantwoordelijke) and where to ask.
#[derive(Clone, Debug, Serialize)]
pub struct Responsible {
    /// The organisation's name, or "de organisatie".
    pub called: String,
    pub named: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tel: Option<String>,
    pub privacy_contact: Option<String>,
    /// Where a request to see or erase data goes: the privacy officer, else the organisation.
    pub requests_to: Option<String>,
}

impl Statement {
    /// The statement of `form`; `round` is the anonymity of the round the reader came from,
    /// when their link said it.
    pub fn of(form: &Form, jobs: &Jobs, setup: Setup<'_>, round: Option<bool>) -> Statement {
        let jobs = jobs_of(jobs, form);
        let asked = Asked::of(form);
        let contact = setup.organisation.contact();
        let privacy_contact = setup.organisation.privacy_contact().map(|e| e.as_str().to_owned());
        let responsible = Responsible {
            requests_to: privacy_contact.clone().or_else(|| contact.email.clone()),
            called: contact.called,
            named: contact.name.is_some(),
            email: contact.email,
            phone: contact.phone,
            tel: contact.tel,
            privacy_contact,
        };
        Statement {
            form: form.id.0.clone(),
            title: form.title.nl.clone(),
            purpose: form.purpose.as_ref().map(|p| p.nl.clone()),
            signup: form.kind == FormKind::Signup,
            anonymity: Anonymity::of(form, &jobs).for_round(round),
            threshold: Threshold::of(form, setup.min_group_size).0,
            responsible,
            questions: asked.questions,
            identifying: asked.identifying,
            free_text: asked.free_text,
            registers: registers(&jobs),
            open_registration: jobs
                .iter()
                .any(|j| j.open_link || j.signup.as_ref().is_some_and(|s| s.open_registration)),
            werkgroep_reads_addresses: form.questions().any(|q| q.reading.read_by == ReadBy::Werkgroep),
            // One job: its terms (it may override the form's); several: the form's own.
            retention: retention_lines(form, if jobs.len() == 1 { Some(jobs[0]) } else { None }, setup),
            mail_relay: setup.mail_relay,
        }
    }
}

/// The names of the registers the form's jobs accredit for, each once.
fn registers(jobs: &[&Job]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for register in jobs.iter().filter_map(|j| j.signup.as_ref()).flat_map(|s| &s.registers) {
        if !names.contains(&register.name) {
            names.push(register.name.clone());
        }
    }
    names
}

/// How long what of `form` (or of `job`'s rounds) is kept, a line each ("Persoonlijke links:
/// 3 maanden na het sluiten van de ronde; ..."), as `crate::retention` carries the terms out.
pub fn retention_lines(form: &Form, job: Option<&Job>, setup: Setup<'_>) -> Vec<String> {
    let policy = crate::retention::policy(setup.retention, form, job);
    policy.describe().into_iter().map(|(what, text)| format!("{}: {text}", capitalised(what))).collect()
}
