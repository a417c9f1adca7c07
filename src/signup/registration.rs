//! Open registration (`/f/<slug>`): someone who read about a sign-up in a newsletter gives their
//! name, address, role and practice. That holds no seat. It makes an invitation whose link is
//! mailed to the address given; only choosing a session through that link takes a seat, so the
//! link is the address's confirmation and nobody can book in someone else's name.

use chrono::{DateTime, Utc};

use super::SignupError;
use super::limit::{self, Client};
use super::name::is_person_name;
use crate::contacts::{self, NewContact};
use crate::db::{Db, Pool, Timestamp};
use crate::email::EmailAddress;
use crate::outbox::{self, Queue};
use crate::rounds::{self, InvitationId, RoundId};
use crate::settings::Secret;

/// At most one registration mail per person per this long, however often the form is posted.
const RESEND_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

/// How long a registration waits for its link to be used before it is removed.
pub const EXPIRES_AFTER: chrono::Duration = chrono::Duration::days(7);

/// The registration form as typed, each field trimmed; shown again with its mistakes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistrationForm {
    pub name: String,
    pub email: String,
    pub role: String,
    pub practice: String,
}

/// A checked registration: only `RegistrationForm::parse` makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    name: String,
    email: EmailAddress,
    role: String,
    practice: String,
}

/// One mistake in a registration form, in the order the page lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationProblem {
    #[error("the name is empty")]
    Name,
    #[error("the name does not read as a person's name (see `name::is_person_name`)")]
    NotAName,
    #[error("not a plain e-mail address with a top-level domain")]
    Email,
    #[error("not one of the roles of the form's `rollen` list")]
    Role,
    #[error("the practice is longer than {MOST_CHARS} characters")]
    PracticeTooLong,
    #[error("the name or the practice holds a line break or another control character")]
    ControlCharacter,
}

/// Longer than this is not a practice's name but a paste gone wrong.
const MOST_CHARS: usize = 200;

impl RegistrationProblem {
    /// What the person who registers reads.
    pub fn dutch(self) -> &'static str {
        match self {
            Self::Name => "Vul uw naam in.",
            Self::NotAName => {
                "Vul uw naam in zoals u die schrijft: letters, spaties, koppeltekens (-) en \
                 apostrofs ('), een punt alleen na een voorletter (zoals J.P. de Vries), zonder \
                 cijfers, links of e-mailadressen, ten hoogste 100 tekens en 10 woorden."
            }
            Self::Email => "Vul een geldig e-mailadres in, zoals naam@praktijk.nl.",
            Self::Role => "Kies uw functie.",
            Self::PracticeTooLong => "De naam van de praktijk is te lang.",
            Self::ControlCharacter => {
                "Uw naam of praktijk bevat een regelovergang of een ander onzichtbaar teken; typ ze opnieuw."
            }
        }
    }
}

impl RegistrationForm {
    /// Checks every field against the form's `roles` (value, label) and reports every mistake.
    pub fn parse(&self, roles: &[(String, String)]) -> Result<Registration, Vec<RegistrationProblem>> {
        let mut problems = Vec::new();
        let control = [&self.name, &self.practice]
            .iter()
            .any(|text| crate::contacts::control_character(text).is_some());
        if self.name.is_empty() {
            problems.push(RegistrationProblem::Name);
        } else if !control && !is_person_name(&self.name) {
            problems.push(RegistrationProblem::NotAName);
        }
        let email = EmailAddress::parse(&self.email);
        if email.is_err() {
            problems.push(RegistrationProblem::Email);
        }
        if !roles.iter().any(|(value, _)| *value == self.role) {
            problems.push(RegistrationProblem::Role);
        }
        if self.practice.chars().count() > MOST_CHARS {
            problems.push(RegistrationProblem::PracticeTooLong);
        }
        // A line break in a name would reach the mail's `To:` header and bodies; such characters
        // are never part of a name, and contact lists refuse them too.
        if control {
            problems.push(RegistrationProblem::ControlCharacter);
        }
        match email {
            Ok(email) if problems.is_empty() => Ok(Registration {
                name: self.name.clone(),
                email,
                role: self.role.clone(),
                practice: self.practice.clone(),
            }),
            _ => Err(problems),
        }
    }
}

/// The round open for registration under `slug`, while it takes sign-ups.
pub async fn round_of(
    pool: &Pool,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<(RoundId, String)>, SignupError> {
    let round =
        sqlx::query_as("SELECT id, title FROM rounds WHERE slug = $1 AND opens_at <= $2 AND closes_at > $2")
            .bind(slug)
            .bind(Timestamp::from(now))
            .fetch_optional(pool)
            .await?;
    Ok(round)
}

/// What a registration came to. The page answers both alike, so that it does not tell whether
/// an address is known or opted out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registered {
    /// Registered, and the mail with the link queued (or queued within the resend window).
    Mailed(InvitationId),
    /// The address unsubscribed from all mail: no invitation, no mail.
    OptedOut,
    /// `client`, or all clients together, registered too often within the window
    /// (`limit`): nothing is stored.
    TooMany,
}

/// Registers a person for `round` and queues the mail with their link. A known address keeps
/// its contact as it is (a form cannot rename anyone); a new one becomes a self-registered
/// contact, never part of an audience. An address that unsubscribed gets nothing.
pub async fn register(
    db: &Db,
    secret: &Secret,
    round: RoundId,
    person: &Registration,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<Registered, SignupError> {
    let person = NewContact {
        email: person.email.clone(),
        name: person.name.clone(),
        role: person.role.clone(),
        practice: person.practice.clone(),
        wijk: String::new(),
        gemeente: String::new(),
    };
    let mut tx = db.write().await?;
    if !limit::take(&mut tx, client, now).await? {
        return Ok(Registered::TooMany);
    }
    let contact = contacts::add_self_registered(&mut tx, &person, now).await?;
    if contact.opted_out {
        tx.commit().await?;
        return Ok(Registered::OptedOut);
    }
    let invitation = rounds::invitation_for(&mut tx, round, &contact, secret, now).await?;
    outbox::enqueue(&mut tx, Queue::Registration(invitation, RESEND_WINDOW), now, now).await?;
    tx.commit().await?;
    Ok(Registered::Mailed(invitation))
}

/// Removes the registrations older than `EXPIRES_AFTER` whose link was never used to choose a
/// session (see `rounds::unconfirmed_registrations`): their mails, their invitation, and their
/// contact when the registration was all it was there for. Returns how many. The scheduler's
/// tick calls it, so that a flood of registrations does not stay in the database for good.
pub async fn expire(db: &Db, now: DateTime<Utc>) -> Result<usize, SignupError> {
    expire_before(db, now - EXPIRES_AFTER).await
}

/// [`expire`] for the registrations made at or before `before` (`peil.toml`'s retention term for
/// them, when the scheduler has one).
pub async fn expire_before(db: &Db, before: DateTime<Utc>) -> Result<usize, SignupError> {
    let mut tx = db.write().await?;
    let removed = remove_unconfirmed(&mut tx, before).await?;
    tx.commit().await?;
    Ok(removed)
}

/// [`expire`]'s work in the caller's transaction, for registrations made at or before `before`
/// (the retention run's term for them, see `retention`).
pub async fn remove_unconfirmed(
    tx: &mut crate::db::Write,
    before: DateTime<Utc>,
) -> Result<usize, SignupError> {
    let stale = rounds::unconfirmed_registrations(tx, before).await?;
    for (invitation, contact) in &stale {
        outbox::forget_invitation(tx, *invitation).await?;
        rounds::remove_invitation(tx, *invitation).await?;
        contacts::remove_if_only_registered(tx, *contact).await?;
    }
    Ok(stale.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles() -> Vec<(String, String)> {
        vec![("poh-ggz".to_string(), "POH-GGZ".to_string())]
    }

    fn form(name: &str, email: &str, role: &str, practice: &str) -> RegistrationForm {
        let owned = |t: &str| t.to_string();
        RegistrationForm {
            name: owned(name),
            email: owned(email),
            role: owned(role),
            practice: owned(practice),
        }
    }

    #[test]
    fn a_complete_form_becomes_a_registration_with_a_lower_cased_address() {
        let registration = form("Eva", "Eva@Example.org", "poh-ggz", "").parse(&roles()).expect("valid");
        assert_eq!(registration.email.as_str(), "eva@example.org");
    }

    #[test]
    fn an_address_the_contact_import_refuses_is_refused_here_too() {
        for email in ["jan <jan@example.org>", "jan@localhost", "geen-adres"] {
            let refused = form("Jan", email, "poh-ggz", "De Brug").parse(&roles());
            assert_eq!(refused, Err(vec![RegistrationProblem::Email]), "{email}");
        }
    }

    #[test]
    fn every_mistake_is_reported_in_the_order_of_the_page() {
        let long = "x".repeat(201);
        let refused = form("", "a@b", "huisarts", &long).parse(&roles());
        assert_eq!(
            refused,
            Err(vec![
                RegistrationProblem::Name,
                RegistrationProblem::Email,
                RegistrationProblem::Role,
                RegistrationProblem::PracticeTooLong
            ])
        );
        let refused = form("Jan\nBcc: x", "jan@example.org", "poh-ggz", "").parse(&roles());
        assert_eq!(refused, Err(vec![RegistrationProblem::ControlCharacter]));
    }
}
