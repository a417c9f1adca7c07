//! The sessions pages' words: what a coordinator typed, parsed into a plan or an edit, and a
//! domain refusal in Dutch (`PlanningError` and `SignupError` keep their English texts for the
//! command line and the logs).

use chrono::NaiveDate;

use crate::signup::planning::{MOST_SEATS, PlanningError, SessionEdit, SessionPlan};
use crate::signup::{Session, SignupError};
use crate::time::{SpanError, TimeSpan};

/// The session form's fields, as typed.
#[derive(rocket::FromForm, Default, serde::Serialize)]
#[field(default = "")]
pub(super) struct SessionForm {
    pub titel: String,
    pub datum: String,
    pub begin: String,
    pub einde: String,
    pub plaats: String,
    pub online: String,
    pub leider: String,
    pub activiteit: String,
    pub plaatsen: String,
}

impl SessionForm {
    /// The form filled in with a session as it is, for changing it.
    pub(super) fn of(session: &Session) -> SessionForm {
        use chrono_tz::Europe::Amsterdam;
        let (from, to) =
            (session.starts_at.with_timezone(&Amsterdam), session.ends_at.with_timezone(&Amsterdam));
        SessionForm {
            titel: session.title.clone(),
            datum: from.format("%Y-%m-%d").to_string(),
            begin: from.format("%H:%M").to_string(),
            einde: to.format("%H:%M").to_string(),
            plaats: session.place.clone(),
            online: session.online_url.clone(),
            leider: session.leader.clone(),
            activiteit: session.activity_id.clone(),
            plaatsen: session.capacity.to_string(),
        }
    }

    fn date(&self) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(self.datum.trim(), "%Y-%m-%d")
            .map_err(|_| "Vul een datum in, bijvoorbeeld 2027-03-09.".to_owned())
    }

    fn span(&self) -> Result<TimeSpan, String> {
        TimeSpan::parse(&format!("{}-{}", self.begin.trim(), self.einde.trim())).map_err(|e| match e {
            SpanError::EndsBeforeStart => "De eindtijd ligt vóór de begintijd.".to_owned(),
            SpanError::NotASpan => {
                "Vul de begin- en eindtijd in als uu:mm, bijvoorbeeld 13:30 en 15:30.".to_owned()
            }
        })
    }

    fn online_url(&self) -> Result<String, String> {
        let url = self.online.trim();
        if url.is_empty() || url.starts_with("https://") || url.starts_with("http://") {
            Ok(url.to_owned())
        } else {
            Err("De online link begint met https://; laat het veld leeg als er geen is.".to_owned())
        }
    }

    fn capacity(&self) -> Result<u32, String> {
        self.plaatsen
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MOST_SEATS).contains(n))
            .ok_or_else(|| format!("Vul het aantal plaatsen in als een getal van 1 tot en met {MOST_SEATS}."))
    }

    pub(super) fn plan(&self) -> Result<SessionPlan, String> {
        Ok(SessionPlan {
            title: self.titel.clone(),
            date: self.date()?,
            span: self.span()?,
            place: self.plaats.clone(),
            online_url: self.online_url()?,
            leader: self.leider.clone(),
            activity_id: self.activiteit.clone(),
            capacity: self.capacity()?,
        })
    }

    /// Only what differs from the session as it is, so an unchanged form changes nothing.
    pub(super) fn edit(&self, session: &Session) -> Result<SessionEdit, String> {
        let now = SessionForm::of(session);
        let differs = |new: &str, old: &str| (new.trim() != old.trim()).then(|| new.trim().to_owned());
        let moved = self.datum.trim() != now.datum
            || self.begin.trim() != now.begin
            || self.einde.trim() != now.einde;
        let capacity = self.capacity()?;
        Ok(SessionEdit {
            title: differs(&self.titel, &now.titel),
            date: if moved { Some(self.date()?) } else { None },
            span: if moved { Some(self.span()?) } else { None },
            place: differs(&self.plaats, &now.plaats),
            online_url: differs(&self.online_url()?, &now.online),
            leader: differs(&self.leider, &now.leider),
            capacity: (capacity != session.capacity).then_some(capacity),
        })
    }
}

/// A refusal of adding or changing a session, in the coordinator's words.
pub(super) fn planning(e: &PlanningError) -> Option<String> {
    Some(match e {
        PlanningError::NotASignup(_) => {
            "Deze ronde is een vragenlijst, geen aanmelding; ze heeft geen bijeenkomsten.".to_owned()
        }
        PlanningError::Closed { closed_at, .. } => format!(
            "Deze ronde is gesloten sinds {}; er kunnen geen bijeenkomsten meer bij.",
            crate::time::dutch(*closed_at)
        ),
        PlanningError::NoTitle | PlanningError::EmptyTitle => "Geef de bijeenkomst een titel.".to_owned(),
        PlanningError::AlreadyBegun(at) => {
            format!("{} is al voorbij; kies een latere datum of tijd.", crate::time::dutch(*at))
        }
        PlanningError::NoPlace => "Vul een plaats of een online link in (of allebei).".to_owned(),
        PlanningError::Seats(n) => {
            format!("Een bijeenkomst heeft 1 tot en met {MOST_SEATS} plaatsen, niet {n}.")
        }
        PlanningError::PastMidnight => {
            "Deze bijeenkomst loopt over middernacht; geef bij een nieuwe datum ook nieuwe tijden.".to_owned()
        }
        PlanningError::NothingToChange => "Er is niets gewijzigd: alle gegevens waren al zo.".to_owned(),
        PlanningError::Rounds(_) => return None,
        PlanningError::Signup(e) => return signup(e),
    })
}

/// A refusal of a change to a session or a seat, in the coordinator's words; `None` for what is
/// not the coordinator's doing (a database error, an unknown row: those are a 500 or a 404).
pub(super) fn signup(e: &SignupError) -> Option<String> {
    Some(match e {
        SignupError::SessionCancelled(_) => "Deze bijeenkomst is afgelast; er is niets gewijzigd.".to_owned(),
        SignupError::AlreadyCancelled => "Deze plaats was al afgemeld; er is niets gewijzigd.".to_owned(),
        SignupError::CapacityBelowTaken { capacity, taken } => format!(
            "Er zijn al {taken} mensen aangemeld; {capacity} plaatsen is te weinig. Verplaats eerst mensen of kies meer plaatsen."
        ),
        SignupError::UnknownSeat(_) => {
            "Deze persoon staat niet (meer) bij deze bijeenkomst; er is niets gewijzigd.".to_owned()
        }
        SignupError::EndsBeforeStart => "De eindtijd ligt vóór de begintijd.".to_owned(),
        SignupError::SameSession => "Kies een andere bijeenkomst dan die waar deze persoon al in staat.".to_owned(),
        SignupError::OtherRound(_) | SignupError::NotOffered(_) => {
            "Die bijeenkomst hoort niet bij deze ronde; kies er een uit de lijst.".to_owned()
        }
        SignupError::AlreadyThere(_) => {
            "Deze persoon staat al bij die bijeenkomst (aangemeld of op de wachtlijst); er is niets gewijzigd.".to_owned()
        }
        SignupError::NotAContact(email) => format!(
            "Er is geen contact met het e-mailadres {email}. Zoek het contact op of voeg het eerst toe bij Contacten."
        ),
        SignupError::Over(_) => "Die bijeenkomst is al voorbij; er is niets gewijzigd.".to_owned(),
        SignupError::EmptyNotice => format!(
            "Vul een onderwerp (hooguit {} tekens) en een tekst in.",
            crate::signup::notices::SUBJECT_MAX
        ),
        _ => return None,
    })
}
