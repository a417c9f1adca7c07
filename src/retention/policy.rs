//! The effective terms: `peil.toml`'s `[retention]` defaults, under a form's own, under its job's.
//! `Policy::describe` says them in Dutch for pages, the privacy statement and the register.

use serde::{Deserialize, Serialize};

use super::{Declared, Identified, Term};

/// `[retention]` in `peil.toml`: what applies where a form or job says nothing. Each default is
/// explained in `peil.example.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Defaults {
    pub responses: Term,
    pub links: Term,
    pub identified: Identified,
    pub outbox: Term,
    pub registrations: Term,
    pub attendance: Term,
    pub audit: Term,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            responses: Term::months(24),
            links: Term::months(3),
            identified: Identified::Anonymise,
            outbox: Term::months(3),
            registrations: Term::days(7),
            attendance: Term::years(6),
            audit: Term::years(5),
        }
    }
}

/// What kind of rounds the terms are for: they say different things to different people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Identified,
    Anonymous,
    Signup,
}

/// The terms that apply to the rounds of one form (and job).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub kind: Kind,
    pub responses: Term,
    pub links: Term,
    pub identified: Identified,
    pub attendance: Term,
    pub outbox: Term,
    pub registrations: Term,
}

impl Policy {
    /// The terms of `form`'s rounds opened by `job` (a job's terms over its form's over the
    /// defaults); `declared` is that job's [`Declared::over`] its form's, or the form's alone.
    pub fn of(defaults: &Defaults, declared: &Declared, kind: Kind) -> Policy {
        Policy {
            kind,
            responses: declared.responses.unwrap_or(defaults.responses),
            links: declared.links.unwrap_or(defaults.links),
            identified: declared.identified.unwrap_or(defaults.identified),
            attendance: declared.attendance.unwrap_or(defaults.attendance),
            outbox: defaults.outbox,
            registrations: defaults.registrations,
        }
    }

    /// The terms as Dutch sentences, each with what it is about:
    /// `("antwoorden", "24 maanden na het sluiten van de ronde; ...")`.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        let closing = |term: Term| format!("{} na het sluiten van de ronde", term.dutch());
        let mut lines = vec![(
            "persoonlijke links",
            format!(
                "{}; daarna werkt de link niet meer en worden niet verstuurde concepten verwijderd",
                closing(self.links)
            ),
        )];
        let responses = match (self.kind, self.identified) {
            (Kind::Anonymous, _) => format!(
                "anoniem bewaard zolang de ronde in de trends meetelt; wie er was uitgenodigd en \
                 wie heeft geantwoord, wordt {} verwijderd",
                closing(self.links)
            ),
            (_, Identified::Anonymise) => format!(
                "{}; daarna worden ze anoniem gemaakt: zonder naam, uitnodiging en tijdstip, en \
                 zonder de antwoorden die zeggen wie u bent",
                closing(self.responses)
            ),
            (_, Identified::Remove) => format!("{}; daarna worden ze verwijderd", closing(self.responses)),
        };
        lines.push(("antwoorden", responses));
        if self.kind == Kind::Signup {
            lines.push((
                "inschrijvingen en aanwezigheid",
                format!(
                    "{} na de bijeenkomst, met de bewijzen van deelname: zo lang kan een \
                     kwaliteitsregister om bewijs vragen",
                    self.attendance.dutch()
                ),
            ));
            lines.push((
                "onbevestigde aanmeldingen",
                format!(
                    "{} na de aanmelding, als de link uit de e-mail niet is gebruikt",
                    self.registrations.dutch()
                ),
            ));
        }
        lines.push(("e-mails", format!("{} na het versturen", self.outbox.dutch())));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_term_goes_over_the_form_and_the_form_over_the_defaults() {
        let form = Declared {
            responses: Some(Term::months(12)),
            links: Some(Term::months(1)),
            ..Default::default()
        };
        let job = Declared { links: Some(Term::months(2)), ..Default::default() };
        let policy = Policy::of(&Defaults::default(), &job.over(&form), Kind::Identified);
        assert_eq!((policy.responses, policy.links), (Term::months(12), Term::months(2)));
        assert_eq!(policy.attendance, Term::years(6));
    }

    #[test]
    fn the_terms_read_as_dutch_sentences() {
        let policy = Policy::of(&Defaults::default(), &Declared::default(), Kind::Signup);
        let lines = policy.describe();
        assert_eq!(lines[0].1.split(';').next(), Some("3 maanden na het sluiten van de ronde"));
        assert!(lines.iter().any(|(what, text)| *what == "antwoorden" && text.starts_with("24 maanden")));
        assert!(lines.iter().any(|(_, text)| text.starts_with("6 jaar na de bijeenkomst")));
    }
}
