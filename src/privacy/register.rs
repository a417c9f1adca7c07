//! The organisation's processing register (article 30): an entry per form (the rounds opened by
//! hand) and per job, with its purpose, the people and data it concerns, who receives what, how
//! long it is kept, whether it is anonymous and the security measures. Written as Markdown for a
//! document and as a [`Sheet`] for CSV (`;`, BOM), as `peil privacy register` and
//! `/beheer/verwerkingsregister` give them.

use std::fmt::Write;

use serde::Serialize;

use super::asked::Asked;
use super::measures::MEASURES;
use super::statement::retention_lines;
use super::{Anonymity, Setup, capitalised, jobs_of};
use crate::forms::{Form, FormKind, Forms, ReadBy};
use crate::jobs::{Job, Jobs};
use crate::results::Threshold;
use crate::spreadsheet::{Cell, Sheet};

/// One processing: a form's rounds opened by hand, or a job's rounds.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// "formulier" or "job".
    pub kind: &'static str,
    pub id: String,
    /// The form's title.
    pub title: String,
    pub purpose: Option<String>,
    /// Categories of people: the roles of the audience.
    pub people: Vec<String>,
    /// Categories of personal data.
    pub data: Vec<String>,
    pub recipients: Vec<String>,
    pub retention: Vec<String>,
    pub anonymous: &'static str,
}

/// Every form's entry and then every job's, in the order of their ids. `roles` are the
/// (value, label) pairs of the `rollen` list.
pub fn entries(forms: &Forms, jobs: &Jobs, setup: Setup<'_>, roles: &[(String, String)]) -> Vec<Entry> {
    let all_roles: Vec<String> = roles.iter().map(|(_, label)| label.clone()).collect();
    let mut entries: Vec<Entry> = forms
        .iter()
        .map(|form| {
            let anonymity = if form.anonymous { Anonymity::Anonymous } else { Anonymity::Identified };
            let mut entry = entry(form, None, anonymity, setup);
            entry.people = all_roles.clone();
            entry
                .people
                .push("wie een coördinator met de hand uitnodigt (elke functie uit de contactlijst)".into());
            entry
        })
        .collect();
    for form in forms.iter() {
        for job in jobs_of(jobs, form) {
            let mut entry = entry(form, Some(job), Anonymity::of_job(form, job), setup);
            entry.people = audience(job, roles, &all_roles);
            entries.push(entry);
        }
    }
    entries
}

fn entry(form: &Form, job: Option<&Job>, anonymity: Anonymity, setup: Setup<'_>) -> Entry {
    let retention = retention_lines(form, job, setup);
    Entry {
        kind: if job.is_some() { "job" } else { "formulier" },
        id: job.map_or_else(|| form.id.0.clone(), |j| j.id.clone()),
        title: form.title.nl.clone(),
        purpose: form.purpose.as_ref().map(|p| p.nl.clone()),
        people: Vec::new(),
        data: data(form, job, anonymity),
        recipients: recipients(form, job, anonymity, setup),
        retention,
        anonymous: anonymity.dutch(),
    }
}

/// The job's roles as their labels (all roles when it names none), and who registers openly.
fn audience(job: &Job, roles: &[(String, String)], all: &[String]) -> Vec<String> {
    let label = |role: &String| {
        roles.iter().find(|(v, _)| v == role).map_or_else(|| role.clone(), |(_, l)| l.clone())
    };
    let mut people: Vec<String> = if job.audience.roles.is_empty() {
        all.to_vec()
    } else {
        job.audience.roles.iter().map(label).collect()
    };
    if !job.audience.wijken.is_empty() {
        people.push(format!("alleen in de wijk(en) {}", job.audience.wijken.join(", ")));
    }
    if job.open_link || job.signup.as_ref().is_some_and(|s| s.open_registration) {
        people.push("wie zich via de openbare aanmeldpagina aanmeldt".into());
    }
    people
}

fn data(form: &Form, job: Option<&Job>, anonymity: Anonymity) -> Vec<String> {
    let asked = Asked::of(form);
    let mut data = vec![
        "contactgegevens: naam, e-mailadres, functie, praktijk, wijk en gemeente".to_owned(),
        "uitnodigingen, of iemand geantwoord heeft, en de verstuurde e-mails met hun datum".to_owned(),
    ];
    data.push(match (form.kind, anonymity) {
        (FormKind::Signup, _) => "aanmeldingen voor bijeenkomsten, de wachtlijst en de aanwezigheid".into(),
        (_, Anonymity::Anonymous) => {
            "antwoorden, anoniem: zonder naam, uitnodiging of tijdstip (alleen de dag)".into()
        }
        (_, Anonymity::Identified) => "antwoorden, gekoppeld aan de persoon".into(),
        (_, Anonymity::Both) => "antwoorden: anoniem of gekoppeld aan de persoon, per ronde".into(),
    });
    if !asked.identifying.is_empty() {
        data.push(format!("in de vragen: {}", asked.identifying.join(", ")));
    }
    if asked.free_text {
        data.push("open tekst, die gegevens over de persoon of anderen kan bevatten".into());
    }
    let registers: Vec<&str> = job
        .and_then(|j| j.signup.as_ref())
        .map(|s| s.registers.iter().map(|r| r.name.as_str()).collect())
        .unwrap_or_default();
    if !registers.is_empty() {
        data.push(format!(
            "voor accreditatie: voorletters, achternaam, BIG-nummer of lidnummer ({})",
            registers.join(", ")
        ));
    }
    data
}

fn recipients(form: &Form, job: Option<&Job>, anonymity: Anonymity, setup: Setup<'_>) -> Vec<String> {
    let threshold = Threshold::of(form, setup.min_group_size).0;
    let mut recipients = Vec::new();
    if form.kind == FormKind::Survey {
        recipients.push(format!("werkgroep: uitkomsten van groepen van ten minste {threshold} mensen"));
        if anonymity != Anonymity::Anonymous
            && form.questions().any(|q| q.reading.read_by == ReadBy::Werkgroep)
        {
            recipients.push("werkgroep: de e-mailadressen die de vragenlijst vraagt".into());
        }
    }
    recipients.push(match (form.kind, anonymity) {
        (FormKind::Signup, _) => {
            "coördinator (beheerder in peil): aanmeldingen, wachtlijst en aanwezigheid".into()
        }
        (_, Anonymity::Anonymous) => {
            "coördinator (beheerder in peil): wie is uitgenodigd en of die antwoordde".into()
        }
        _ => {
            "coördinator (beheerder in peil): wie is uitgenodigd, of die antwoordde en de antwoorden met naam"
                .into()
        }
    });
    if let Some(job) = job {
        for register in job.signup.iter().flat_map(|s| &s.registers) {
            recipients.push(format!("{}: aanwezigheid met BIG- of lidnummer", register.name));
        }
    }
    if setup.mail_relay {
        recipients.push(
            "de mailprovider die de e-mails aflevert: naam, e-mailadres en de tekst van de e-mail".into(),
        );
    }
    recipients.push("technisch beheerder van de server: de database en de geheime sleutel".into());
    recipients
}

/// The register as a Markdown document: a section per entry, then the measures once.
pub fn markdown(entries: &[Entry], organisation: &str) -> String {
    let mut out = format!("# Verwerkingsregister van {organisation}: peil\n");
    for e in entries {
        let _ = write!(out, "\n## {} `{}`: {}\n\n", capitalised(e.kind), e.id, e.title);
        let _ = writeln!(
            out,
            "- **Doel:** {}",
            e.purpose.as_deref().unwrap_or("(niet beschreven in het formulier)")
        );
        list(&mut out, "Betrokkenen", &e.people);
        list(&mut out, "Persoonsgegevens", &e.data);
        list(&mut out, "Ontvangers", &e.recipients);
        list(&mut out, "Bewaartermijn", &e.retention);
        let _ = writeln!(out, "- **Anoniem:** {}", e.anonymous);
        let _ = writeln!(out, "- **Beveiliging:** zie Beveiligingsmaatregelen hieronder");
    }
    out.push_str("\n## Beveiligingsmaatregelen\n\nVoor elke verwerking hierboven:\n\n");
    MEASURES.iter().for_each(|m| {
        let _ = writeln!(out, "- {m}");
    });
    out
}

fn list(out: &mut String, name: &str, items: &[String]) {
    let _ = writeln!(out, "- **{name}:**");
    items.iter().for_each(|item| {
        let _ = writeln!(out, "  - {item}");
    });
}

/// The column headers of the CSV, in Dutch as the register names them.
pub const HEADERS: [&str; 10] = [
    "soort",
    "id",
    "titel",
    "doel",
    "betrokkenen",
    "persoonsgegevens",
    "ontvangers",
    "bewaartermijn",
    "anoniem",
    "beveiliging",
];

/// The register as one table, a row per entry; a cell with several items joins them with " | ".
pub fn sheet(entries: &[Entry]) -> Sheet {
    let joined = |items: &[String]| Cell::Text(items.join(" | "));
    let measures = MEASURES.join(" | ");
    let rows = entries
        .iter()
        .map(|e| {
            vec![
                Cell::from(e.kind),
                Cell::from(e.id.as_str()),
                Cell::from(e.title.as_str()),
                Cell::from(e.purpose.as_deref().unwrap_or_default()),
                joined(&e.people),
                joined(&e.data),
                joined(&e.recipients),
                joined(&e.retention),
                Cell::from(e.anonymous),
                Cell::from(measures.as_str()),
            ]
        })
        .collect();
    Sheet {
        name: "verwerkingsregister".into(),
        headers: HEADERS.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    }
}
