//! Changing an account's role and removing an account from `/beheer`. Each form names the account
//! by its address; `accounts::change_role` and `accounts::remove` do the work and keep the last
//! administrator. Removing asks for confirmation first: the form without `bevestigd=ja` shows
//! what will happen, with the button that posts it again with `bevestigd=ja`.
//!
//! Resetting someone's two-step login (a lost phone) is one button, without confirmation: it
//! takes nothing away but the second step, and is in the audit log.
//!
//! An administrator who removes or demotes themself (allowed while another administrator
//! remains) cannot see `/beheer` any more, so they get a page of their own saying what happened.

use rocket::http::{Cookie, CookieJar, Status};
use rocket::{State, post};
use rocket_dyn_templates::{Template, context};

use super::{Outcome, page};
use crate::accounts::{self, AccountsError, Role, TwoFactorError, two_factor};
use crate::web::auth::{Admin, CsrfForm, SESSION_COOKIE};
use crate::web::{App, Error};

type Page = Result<(Status, Template), Error>;

/// The role form of one account; the page always sends a role, so a missing one is a bad request.
#[derive(rocket::FromForm)]
pub(super) struct NewRole<'r> {
    #[field(default = "")]
    email: &'r str,
    role: Option<Role>,
}

#[post("/beheer/gebruikers/rol", data = "<form>")]
pub(super) async fn change_role(admin: Admin, form: CsrfForm<NewRole<'_>>, app: &State<App>) -> Page {
    let NewRole { email, role } = form.fields;
    let Some(role) = role else { return Err(Error::BadRequest) };
    let shown = accounts::normalise_email(email).map(String::from).unwrap_or_else(|_| email.to_owned());
    match accounts::change_role(&app.db, email, role, Some(&admin.email), app.now()).await {
        Ok(_) if shown == admin.email && role != Role::Admin => {
            let text = "U bent nu werkgroeplid: u ziet de resultaten, maar beheert geen gebruikers meer.";
            Ok(done(Some(&admin), "Uw rol is gewijzigd", text, "/werkgroep", "Naar de resultaten"))
        }
        Ok(before) => {
            let notice = if before == role {
                format!("{shown} was al {}. Er is niets gewijzigd.", role.label())
            } else {
                format!("{shown} is nu {}. De nieuwe rol geldt meteen.", role.label())
            };
            told(&admin, app, notice).await
        }
        Err(e) => refused(&admin, app, format!("De rol van {shown} is niet gewijzigd."), e).await,
    }
}

/// The remove button of one account, and the confirmation page's button (`bevestigd=ja`).
#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Removal<'r> {
    email: &'r str,
    bevestigd: &'r str,
}

#[post("/beheer/gebruikers/verwijderen", data = "<form>")]
pub(super) async fn remove(
    admin: Admin,
    form: CsrfForm<Removal<'_>>,
    cookies: &CookieJar<'_>,
    app: &State<App>,
) -> Page {
    let Removal { email, bevestigd } = form.fields;
    let Some(user) = accounts::find_user(app.db.read(), email).await? else {
        return refused(&admin, app, format!("{email} is niet verwijderd."), AccountsError::UnknownUser)
            .await;
    };
    let is_you = user.id == admin.id;
    if bevestigd != "ja" {
        let context = context! {
            email: &user.email,
            role: user.role.label(),
            is_you,
            account_email: &admin.email,
            csrf: admin.csrf(),
        };
        return Ok((Status::Ok, Template::render("admin/remove", context)));
    }
    match accounts::remove(&app.db, &user.email, Some(&admin.email), app.now()).await {
        Ok(()) if is_you => {
            cookies.remove(Cookie::build(SESSION_COOKIE).path("/"));
            let text = "Uw account is verwijderd en u bent uitgelogd.";
            Ok(done(None, "Account verwijderd", text, "/", "Naar de startpagina"))
        }
        Ok(()) => {
            let notice = format!(
                "Het account van {} is verwijderd. Het is uitgelogd en kan niet meer inloggen.",
                user.email
            );
            told(&admin, app, notice).await
        }
        Err(e) => refused(&admin, app, format!("{} is niet verwijderd.", user.email), e).await,
    }
}

/// The "new password link" button of one account: a forgotten password, as `peil user link`.
#[derive(rocket::FromForm)]
pub(super) struct LinkFor<'r> {
    #[field(default = "")]
    email: &'r str,
}

#[post("/beheer/gebruikers/wachtwoordlink", data = "<form>")]
pub(super) async fn password_link(admin: Admin, form: CsrfForm<LinkFor<'_>>, app: &State<App>) -> Page {
    let email = form.fields.email;
    match accounts::new_password_link(&app.db, email, Some(&admin.email), app.now()).await {
        Ok(path) => {
            let context = context! {
                email: accounts::normalise_email(email).map(String::from).unwrap_or_default(),
                link: format!("{}{path}", app.settings.base_url.trim_end_matches('/')),
                hours: accounts::LINK_VALID_HOURS,
                account_email: &admin.email,
                csrf: admin.csrf(),
            };
            Ok((Status::Ok, Template::render("admin/password_link", context)))
        }
        Err(e) => refused(&admin, app, format!("Er is geen nieuwe link gemaakt voor {email}."), e).await,
    }
}

/// The "reset two-step login" button of one account: a lost phone, as `peil user reset-2fa`.
#[post("/beheer/gebruikers/tweestaps-resetten", data = "<form>")]
pub(super) async fn reset_two_factor(admin: Admin, form: CsrfForm<LinkFor<'_>>, app: &State<App>) -> Page {
    let email = form.fields.email;
    let shown = accounts::normalise_email(email).map(String::from).unwrap_or_else(|_| email.to_owned());
    match two_factor::reset(&app.db, email, Some(&admin.email), app.now()).await {
        Ok(true) => {
            let notice = format!(
                "De tweestapsverificatie van {shown} is gereset. Die gebruiker logt nu in met alleen het wachtwoord en kan haar opnieuw instellen."
            );
            told(&admin, app, notice).await
        }
        Ok(false) => {
            told(&admin, app, format!("{shown} had geen tweestapsverificatie. Er is niets gewijzigd.")).await
        }
        Err(TwoFactorError::Accounts(e)) => {
            refused(&admin, app, format!("De tweestapsverificatie van {shown} is niet gereset."), e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `/beheer` again with why the change was refused, for the reasons an administrator can act on.
/// `/beheer` again, with `notice` saying what was done.
async fn told(admin: &Admin, app: &App, notice: String) -> Page {
    page(admin, app, Status::Ok, super::Form::default(), Outcome { notice: Some(notice), error: None }).await
}

async fn refused(admin: &Admin, app: &App, what: String, e: AccountsError) -> Page {
    match e {
        AccountsError::LastAdmin | AccountsError::UnknownUser | AccountsError::BadEmail => {
            let outcome = Outcome { notice: None, error: Some(format!("{what} {e}")) };
            page(admin, app, Status::UnprocessableEntity, super::Form::default(), outcome).await
        }
        other => Err(other.into()),
    }
}

/// The page after removing or demoting oneself, when `/beheer` is no longer theirs to see.
fn done(admin: Option<&Admin>, title: &str, text: &str, link: &str, link_text: &str) -> (Status, Template) {
    let context = context! {
        title,
        text,
        link,
        link_text,
        account_email: admin.map(|a| a.email.as_str()),
        csrf: admin.map(|a| a.csrf()),
        // Only a demoted administrator still has a header here, and it has no "Beheer" any more.
        account_admin: false,
    };
    (Status::Ok, Template::render("admin/done", context))
}
