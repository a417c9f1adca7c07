//! `/f/<slug>`: the open registration page of a sign-up round. A thin edge over
//! `signup::registration`, which checks the four fields; it answers the same "look in your mail"
//! page whether or not the address was known.

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use super::body::FormBody;
use super::respond::{Answer, Reply};
use super::{App, Error};
use crate::signup::registration::{self, RegistrationForm};

pub fn routes() -> Vec<Route> {
    routes![show, register]
}

fn first(body: &FormBody, name: &str) -> String {
    body.0.get(name).and_then(|v| v.first()).map(|v| v.trim().to_string()).unwrap_or_default()
}

#[get("/f/<slug>")]
async fn show(slug: &str, app: &State<App>) -> Answer {
    let (_, title) = registration::round_of(app.db.read(), slug, app.now()).await?.ok_or(Error::NotFound)?;
    Ok(page(app, &title, slug, &RegistrationForm::default(), &[], Status::Ok))
}

#[post("/f/<slug>", data = "<body>")]
async fn register(slug: &str, body: FormBody, app: &State<App>) -> Answer {
    let (round, title) =
        registration::round_of(app.db.read(), slug, app.now()).await?.ok_or(Error::NotFound)?;
    // The page sends each field once; a repeated one is not a browser's post, and which copy
    // counts would be a guess.
    if ["naam", "email", "rol", "praktijk"].iter().any(|name| body.0.get(*name).is_some_and(|v| v.len() > 1))
    {
        return Err(Error::BadRequest);
    }
    let typed = RegistrationForm {
        name: first(&body, "naam"),
        email: first(&body, "email"),
        role: first(&body, "rol"),
        practice: first(&body, "praktijk"),
    };
    let person = match typed.parse(&app.forms.list_pairs("rollen")) {
        Ok(person) => person,
        Err(problems) => {
            let problems: Vec<_> = problems.into_iter().map(|p| p.dutch()).collect();
            return Ok(page(app, &title, slug, &typed, &problems, Status::UnprocessableEntity));
        }
    };
    registration::register(&app.db, &app.secret, round, &person, app.now()).await?;
    Ok(Reply::Page((Status::Ok, Template::render("register/sent", context! { form_title: title }))))
}

fn page(
    app: &App,
    title: &str,
    slug: &str,
    person: &RegistrationForm,
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
