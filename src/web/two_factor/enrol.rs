//! `/account/tweestaps`: a staff account turns two-step login on (QR code, the secret in groups
//! of four and the `otpauth://` address, confirmed with a first code; then the recovery codes,
//! shown once) or off again with a current code. Under `require_2fa` an administrator without it
//! reaches this page and logout only (`Enrolling`), and cannot turn it off.

use rocket::http::Status;
use rocket::{State, get, post};
use rocket_dyn_templates::{Template, context};

use serde::Serialize;

use super::qr::{Qr, qr};
use crate::accounts::TwoFactorError;
use crate::accounts::two_factor::{self, TwoFactorState};
use crate::web::auth::{CsrfForm, EnrolForm, Enrolling, Member};
use crate::web::{App, Error};

type Page = Result<(Status, Template), Error>;

/// A code typed on this page.
#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Code<'r> {
    code: &'r str,
}

#[get("/account/tweestaps")]
pub(super) async fn page(who: Enrolling, app: &State<App>) -> Page {
    shown(&who.0, app, Status::Ok, None).await
}

#[post("/account/tweestaps/aanzetten", data = "<form>")]
pub(super) async fn enable(form: EnrolForm<Code<'_>>, app: &State<App>) -> Page {
    let EnrolForm(CsrfForm { member, fields }) = form;
    let key = app.secret.expose();
    match two_factor::enable(&app.db, key, member.id, &member.email, fields.code, app.now()).await {
        Ok(codes) => {
            let context = context! {
                codes,
                account_email: &member.email,
                account_admin: member.is_admin(),
                csrf: member.csrf(),
            };
            Ok((Status::Ok, Template::render("auth/recovery_codes", context)))
        }
        Err(e @ TwoFactorError::WrongCode) => {
            shown(&member, app, Status::UnprocessableEntity, Some(e.to_string())).await
        }
        // Turned on meanwhile (another tab): the page says so.
        Err(TwoFactorError::AlreadyOn) => shown(&member, app, Status::Ok, None).await,
        Err(e) => Err(e.into()),
    }
}

#[post("/account/tweestaps/uitzetten", data = "<form>")]
pub(super) async fn disable(form: CsrfForm<Code<'_>>, app: &State<App>) -> Page {
    let CsrfForm { member, fields } = form;
    let (key, now) = (app.secret.expose(), app.now());
    let required = two_factor::required_for(member.role, app.settings.require_2fa);
    match two_factor::disable(&app.db, key, member.id, &member.email, fields.code, required, now).await {
        Ok(()) => {
            let text = "Tweestapsverificatie staat nu uit. U logt voortaan in met alleen uw wachtwoord; uw herstelcodes werken niet meer.";
            let context = context! {
                title: "Tweestapsverificatie uitgezet",
                text,
                link: "/account/tweestaps",
                link_text: "Opnieuw aanzetten",
                account_email: &member.email,
                account_admin: member.is_admin(),
                csrf: member.csrf(),
            };
            Ok((Status::Ok, Template::render("admin/done", context)))
        }
        Err(e @ (TwoFactorError::WrongCode | TwoFactorError::CodeUsed | TwoFactorError::Required)) => {
            shown(&member, app, Status::UnprocessableEntity, Some(e.to_string())).await
        }
        Err(TwoFactorError::NotOn) => shown(&member, app, Status::Ok, None).await,
        Err(e) => Err(e.into()),
    }
}

/// What `auth/two_factor` shows.
#[derive(Default, Serialize)]
struct View<'a> {
    /// Two-step login is on; else the enrolment below is shown.
    on: bool,
    recovery_left: i64,
    qr: Option<Qr>,
    secret: String,
    uri: String,
    error: Option<String>,
    /// `require_2fa` holds for this account.
    required: bool,
    account_email: &'a str,
    account_admin: bool,
    csrf: &'a str,
}

/// The page as it stands for `member`: enrolment when two-step login is off, its state and the
/// form to turn it off when on; with `error` from the last post.
async fn shown(member: &Member, app: &App, status: Status, error: Option<String>) -> Page {
    let mut view = View {
        error,
        required: two_factor::required_for(member.role, app.settings.require_2fa),
        account_email: &member.email,
        account_admin: member.is_admin(),
        csrf: member.csrf(),
        ..View::default()
    };
    match two_factor::state(app.db.read(), member.id).await? {
        TwoFactorState::On { recovery_left } => {
            view.on = true;
            view.recovery_left = recovery_left;
        }
        TwoFactorState::Off => {
            let key = app.secret.expose();
            let enrolment = two_factor::enrolment(&app.db, key, member.id, &member.email).await?;
            view.qr = qr(&enrolment.uri);
            view.secret = enrolment.secret;
            view.uri = enrolment.uri;
        }
    }
    Ok((status, Template::render("auth/two_factor", view)))
}
