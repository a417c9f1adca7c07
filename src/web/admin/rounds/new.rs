//! `/beheer/rondes/nieuw`: a survey round opened by hand. The first post shows whom the round
//! will reach and writes nothing; the same choices posted again with `bevestigd=ja` open it
//! through `rounds::open_by_hand`, as `peil round open` does.

use chrono::{DateTime, Utc};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{State, get, post};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::{Page, closes_at, dutch};
use crate::contacts::Contact;
use crate::forms::FormKind;
use crate::rounds::{self, Audience, OpenRequest, RoundsError};
use crate::web::auth::{Admin, CsrfForm};
use crate::web::{App, Error};

/// The new-round form as posted. Every field has a default, so a tampered post is read as an
/// empty choice and refused with a message, not a 400.
#[derive(rocket::FromForm, Default)]
pub(super) struct NewRound<'r> {
    #[field(default = "")]
    formulier: &'r str,
    rol: Vec<&'r str>,
    wijk: Vec<&'r str>,
    gemeente: Vec<&'r str>,
    #[field(default = "")]
    datum: &'r str,
    #[field(default = "")]
    tijd: &'r str,
    #[field(default = "")]
    anoniem: &'r str,
    #[field(default = "")]
    bevestigd: &'r str,
}

/// One checkbox or option of the new-round form.
#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

/// A person the new round would reach, as the preview lists them.
#[derive(Serialize)]
struct Person {
    name: String,
    email: String,
    role: String,
    wijk: String,
}

#[get("/beheer/rondes/nieuw")]
pub(super) async fn new(admin: Admin, app: &State<App>) -> Page {
    let days = chrono::Duration::days(i64::from(app.settings.default_open_days));
    let day = crate::time::amsterdam_date(app.now()) + days;
    let typed = NewRound::default();
    new_page(&admin, app, Status::Ok, &typed, &day.format("%Y-%m-%d").to_string(), None, None).await
}

#[post("/beheer/rondes/nieuw", data = "<form>")]
pub(super) async fn preview_or_open(
    admin: Admin,
    form: CsrfForm<NewRound<'_>>,
    app: &State<App>,
) -> Result<Result<(Status, Template), Redirect>, Error> {
    let typed = form.fields;
    let now = app.now();
    let refuse = |message: &str| (Status::UnprocessableEntity, message.to_owned());
    let checked = request_of(&typed, now).map_err(refuse);
    let checked = match checked {
        Ok(request) => match Audience::of(&request).people(app.db.read()).await? {
            people if people.is_empty() => Err(refuse(
                "Niemand past bij deze keuze van rollen, wijken en gemeenten. Kies ruimer; contacten die zich afmeldden tellen niet mee.",
            )),
            people => Ok((request, people)),
        },
        Err(e) => Err(e),
    };
    let (request, people) = match checked {
        Ok(found) => found,
        Err((status, message)) => {
            return new_page(&admin, app, status, &typed, typed.datum, Some(message), None).await.map(Ok);
        }
    };
    if typed.bevestigd != "ja" {
        return new_page(&admin, app, Status::Ok, &typed, typed.datum, None, Some(people)).await.map(Ok);
    }
    match rounds::open_by_hand(&app.db, &app.catalog.forms(), &app.secret, &request, now, Some(&admin.email))
        .await
    {
        Ok(opened) => Ok(Err(Redirect::to(format!("/beheer/rondes/{}", opened.round)))),
        Err(
            e @ (RoundsError::NobodyToInvite(_) | RoundsError::ClosesInThePast | RoundsError::UnknownForm(_)),
        ) => {
            let message = dutch(&e);
            new_page(&admin, app, Status::UnprocessableEntity, &typed, typed.datum, Some(message), None)
                .await
                .map(Ok)
        }
        Err(e) => Err(e.into()),
    }
}

/// The request a posted new-round form asks for, or why it cannot be opened.
fn request_of(typed: &NewRound<'_>, now: DateTime<Utc>) -> Result<OpenRequest, &'static str> {
    if typed.formulier.is_empty() {
        return Err("Kies een vragenlijst.");
    }
    let closes_at = closes_at(typed.datum, typed.tijd)?;
    if closes_at <= now {
        return Err("De sluitingsdatum ligt in het verleden. Kies een moment na nu.");
    }
    let owned = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect();
    Ok(OpenRequest {
        form_id: typed.formulier.to_owned(),
        roles: owned(&typed.rol),
        wijken: owned(&typed.wijk),
        gemeenten: owned(&typed.gemeente),
        practices: vec![],
        closes_at,
        anonymous: typed.anoniem == "ja",
        occurrence: None,
    })
}

async fn new_page(
    admin: &Admin,
    app: &App,
    status: Status,
    typed: &NewRound<'_>,
    date: &str,
    error: Option<String>,
    preview: Option<Vec<Contact>>,
) -> Page {
    let forms: Vec<Choice> = app
        .catalog
        .forms()
        .iter()
        .filter(|f| f.kind == FormKind::Survey)
        .map(|f| Choice {
            value: f.id.to_string(),
            label: f.title.nl.clone(),
            checked: f.id.0 == typed.formulier,
        })
        .collect();
    let choices = |pairs: Vec<(String, String)>, chosen: &[&str]| -> Vec<Choice> {
        pairs
            .into_iter()
            .map(|(value, label)| Choice { checked: chosen.contains(&value.as_str()), value, label })
            .collect()
    };
    let roles = choices(app.catalog.forms().list_pairs("rollen"), &typed.rol);
    let wijken = choices(app.catalog.forms().list_pairs("wijken"), &typed.wijk);
    let mut gemeenten: Vec<String> = Audience::default()
        .people(app.db.read())
        .await?
        .into_iter()
        .map(|c| c.gemeente)
        .filter(|g| !g.is_empty())
        .collect();
    gemeenten.sort();
    gemeenten.dedup();
    let gemeenten = choices(gemeenten.into_iter().map(|g| (g.clone(), g)).collect(), &typed.gemeente);
    let label = |pairs: &[Choice], value: &str| {
        pairs.iter().find(|c| c.value == value).map_or_else(|| value.to_owned(), |c| c.label.clone())
    };
    let people: Option<Vec<Person>> = preview.map(|people| {
        people
            .into_iter()
            .map(|c| Person {
                role: label(&roles, &c.role),
                wijk: label(&wijken, &c.wijk),
                name: c.name,
                email: c.email,
            })
            .collect()
    });
    let context = context! {
        forms,
        roles,
        wijken,
        gemeenten,
        date,
        time: typed.tijd,
        anonymous: typed.anoniem == "ja",
        error,
        people,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/rounds/new", context)))
}
