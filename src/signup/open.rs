//! Opening a sign-up round: a round (`rounds::begin`) with its sessions, its rules for cancelling
//! and reminding, and for open registration a public slug, all in the round's transaction. A
//! survey whose job has `open_link` gets such a slug too ([`open_with_link`]): the same page
//! `/f/<slug>` mails a personal link to whoever asks, so its answers are as identified as an
//! invited person's.

use chrono::{DateTime, Utc};

use super::NewSession;
use crate::db::Db;
use crate::forms::Forms;
use crate::rounds::{self, OpenRequest, Opened, RoundsError, token};
use crate::settings::Secret;

/// What a sign-up round offers besides its form.
#[derive(Clone, Debug, PartialEq)]
pub struct SignupRound {
    pub sessions: Vec<NewSession>,
    /// A seat can be cancelled by its link until this long before its session.
    pub cancel_until: chrono::Duration,
    /// Confirmed people get a reminder this long before their session (zero: none).
    pub remind_before: chrono::Duration,
    /// Anyone with the round's public link (`/f/<slug>`) may register, besides the invited.
    pub open_registration: bool,
    /// The registers its activity counts for, kept with the round (`rounds.accreditation_json`).
    pub registers: Vec<crate::accreditation::Register>,
}

/// Opens a sign-up round at `now` with `signup`'s sessions and rules, and invites every
/// matching contact, all in one transaction; the refusals are `rounds::open`'s, plus a session
/// that starts before the round opens.
pub async fn open(
    db: &Db,
    forms: &Forms,
    secret: &Secret,
    request: &OpenRequest,
    signup: &SignupRound,
    now: DateTime<Utc>,
) -> Result<Opened, RoundsError> {
    if forms.get(&request.form_id).is_none() {
        return Err(RoundsError::UnknownForm(request.form_id.clone()));
    }
    if let Some(past) = signup.sessions.iter().find(|s| s.starts_at <= now) {
        return Err(RoundsError::SessionInThePast(past.title.clone()));
    }
    let offer = rounds::Offer::Signup { open_registration: signup.open_registration };
    let mut opening = rounds::begin(db, forms, secret, request, offer, now).await?;
    let round = opening.round();
    let tx = opening.tx();
    super::sessions::insert(tx, round, &signup.sessions, now)
        .await
        .map_err(|e| RoundsError::Part(Box::new(e)))?;
    let slug = signup.open_registration.then(|| slug(request, now));
    rounds::set_signup_rules(tx, round, signup.cancel_until, signup.remind_before, slug).await?;
    rounds::set_registers(tx, round, &signup.registers).await?;
    opening.finish(now).await
}

/// Opens an identified survey round at `now` with a public link, and invites every matching
/// contact (possibly nobody: people may come by the link), all in one transaction.
pub async fn open_with_link(
    db: &Db,
    forms: &Forms,
    secret: &Secret,
    request: &OpenRequest,
    now: DateTime<Utc>,
) -> Result<Opened, RoundsError> {
    let mut opening = rounds::begin(db, forms, secret, request, rounds::Offer::SurveyWithLink, now).await?;
    let round = opening.round();
    rounds::set_slug(opening.tx(), round, &slug(request, now)).await?;
    opening.finish(now).await
}

/// The public name of an open registration: readable in a newsletter, one per job occurrence
/// ("scholing-2027-01"), with a random tail for rounds opened by hand.
fn slug(request: &OpenRequest, now: DateTime<Utc>) -> String {
    let local = |t: DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Amsterdam);
    match &request.occurrence {
        Some(o) if o.part.is_empty() => format!("{}-{}", o.job_id, local(o.at).format("%Y-%m")),
        Some(o) => format!("{}-{}-{}", o.job_id, local(o.at).format("%Y-%m"), o.part),
        None => format!(
            "{}-{}-{}",
            request.form_id,
            local(now).format("%Y-%m-%d"),
            token::new_nonce()[..6].to_lowercase()
        ),
    }
}
