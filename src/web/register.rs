//! `/f/<slug>`: the open registration page of a sign-up round. A thin edge over
//! `signup::registration`: it checks the four fields and answers the same "look in your mail"
//! page whether or not the address was known.

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use super::body::FormBody;
use super::respond::{Answer, Reply};
use super::{App, Error};
use crate::signup::registration::{self, Registration};

pub fn routes() -> Vec<Route> {
    routes![show, register]
}

fn first(body: &FormBody, name: &str) -> String {
    body.0.get(name).and_then(|v| v.first()).map(|v| v.trim().to_string()).unwrap_or_default()
}

#[get("/f/<slug>")]
async fn show(slug: &str, app: &State<App>) -> Answer {
    let (_, title) = registration::round_of(&app.pool, slug, app.now()).await?.ok_or(Error::NotFound)?;
    Ok(page(app, &title, slug, &Registration::default_view(), &[], Status::Ok))
}

#[post("/f/<slug>", data = "<body>")]
async fn register(slug: &str, body: FormBody, app: &State<App>) -> Answer {
    let (round, title) = registration::round_of(&app.pool, slug, app.now()).await?.ok_or(Error::NotFound)?;
    // The page sends each field once; a repeated one is not a browser's post, and which copy
    // counts would be a guess.
    if ["naam", "email", "rol", "praktijk"].iter().any(|name| body.0.get(*name).is_some_and(|v| v.len() > 1))
    {
        return Err(Error::BadRequest);
    }
    let person = Registration {
        name: first(&body, "naam"),
        email: first(&body, "email").to_lowercase(),
        role: first(&body, "rol"),
        practice: first(&body, "praktijk"),
    };
    let roles = app.forms.list_pairs("rollen");
    let mut problems = Vec::new();
    if person.name.is_empty() || person.name.chars().count() > 200 {
        problems.push("Vul uw naam in.");
    }
    if !email_address::EmailAddress::is_valid(&person.email) {
        problems.push("Vul een geldig e-mailadres in, zoals naam@praktijk.nl.");
    }
    if !roles.iter().any(|(value, _)| *value == person.role) {
        problems.push("Kies uw functie.");
    }
    if person.practice.chars().count() > 200 {
        problems.push("De naam van de praktijk is te lang.");
    }
    // A line break in a name would reach the mail's `To:` header and bodies; such characters are
    // never part of a name, and contact lists refuse them too.
    if [&person.name, &person.practice].iter().any(|text| text.contains(char::is_control)) {
        problems.push(
            "Uw naam of praktijk bevat een regelovergang of een ander onzichtbaar teken; typ ze opnieuw.",
        );
    }
    if !problems.is_empty() {
        return Ok(page(app, &title, slug, &person, &problems, Status::UnprocessableEntity));
    }
    {
        let _turn = app.writes.turn().await;
        registration::register(&app.pool, &app.secret, round, &person, app.now()).await?;
    }
    Ok(Reply::Page((Status::Ok, Template::render("register/sent", context! { form_title: title }))))
}

fn page(
    app: &App,
    title: &str,
    slug: &str,
    person: &Registration,
    problems: &[&str],
    status: Status,
) -> Reply {
    let roles: Vec<_> = app
        .forms
        .list_pairs("rollen")
        .into_iter()
        .map(|(value, label)| context! { selected: value == person.role, value, label })
        .collect();
    let context = context! {
        form_title: title, action: format!("/f/{slug}"), problems, roles,
        name: &person.name, email: &person.email, practice: &person.practice,
    };
    Reply::Page((status, Template::render("register/form", context)))
}
