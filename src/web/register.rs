//! `/f/<slug>`: the open registration page of a sign-up round, or the open link of an identified
//! survey round (a job's `open_link`), which asks the same and mails a link to the form. A thin edge over
//! `signup::registration`, which checks the four fields; it answers the same "look in your mail"
//! page whether the address was new, known or opted out. Posts must come from the page itself
//! (`respond::from_our_pages`), and are limited per client and in total (`signup::limit`): a
//! refused one gets the Dutch 429 page and stores nothing.

use rocket::form::{Contextual, Strict};
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use super::auth::{AuthError, SameOrigin};
use super::body::Fields;
use super::client::ClientAddress;
use super::respond::{Answer, Reply, from_our_pages};
use super::{App, Error};
use crate::signup::limit;
use crate::signup::registration::{self, Registered, RegistrationForm};

pub fn routes() -> Vec<Route> {
    routes![show, register]
}

/// The four fields as posted. The page sends each once: a second copy is not a browser's post,
/// and which copy counts would be a guess, so each is `Strict` (a repeat is an error). One left
/// out counts as empty, for `RegistrationForm::parse` to name.
#[derive(rocket::FromForm)]
#[field(default = "")]
struct Entered<'r> {
    #[field(name = "naam")]
    name: Strict<&'r str>,
    email: Strict<&'r str>,
    #[field(name = "rol")]
    role: Strict<&'r str>,
    #[field(name = "praktijk")]
    practice: Strict<&'r str>,
}

impl Entered<'_> {
    fn trimmed(&self) -> RegistrationForm {
        let trim = |field: &str| field.trim().to_owned();
        RegistrationForm {
            name: trim(&self.name),
            email: trim(&self.email),
            role: trim(&self.role),
            practice: trim(&self.practice),
        }
    }
}

#[get("/f/<slug>")]
async fn show(slug: &str, app: &State<App>) -> Answer {
    let (round, title) =
        registration::round_of(app.db.read(), slug, app.now()).await?.ok_or(Error::NotFound)?;
    let facts = facts(app, round).await?;
    Ok(page(app, &title, slug, &facts, &RegistrationForm::default(), &[], Status::Ok))
}

#[post("/f/<slug>", data = "<form>")]
async fn register(
    slug: &str,
    origin: Result<SameOrigin, AuthError>,
    client: ClientAddress,
    form: Fields<Contextual<'_, Entered<'_>>>,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    let (round, title) =
        registration::round_of(app.db.read(), slug, app.now()).await?.ok_or(Error::NotFound)?;
    let facts = facts(app, round).await?;
    let typed = form.0.value.ok_or(Error::BadRequest)?.trimmed();
    let person = match typed.parse(&app.catalog.forms().list_pairs("rollen")) {
        Ok(person) => person,
        Err(problems) => {
            let problems: Vec<_> = problems.into_iter().map(|p| p.dutch()).collect();
            return Ok(page(app, &title, slug, &facts, &typed, &problems, Status::UnprocessableEntity));
        }
    };
    // The client's address as the login and wrong-link limits read it: forwarded only by a
    // configured proxy (`web::client`).
    let client = limit::Client::new(&app.secret, client.0);
    let registered = registration::register(&app.db, &app.secret, round, &person, &client, app.now()).await?;
    if registered == Registered::TooMany {
        return Err(Error::TooManyRegistrations);
    }
    let (signup, privacy) = (facts.signup, &facts.privacy);
    Ok(Reply::Page((
        Status::Ok,
        Template::render("register/sent", context! { form_title: title, signup, privacy }),
    )))
}

/// What the pages say about the round besides its title.
struct Facts {
    /// The round offers sessions (a sign-up), not a form to answer (a survey's open link): the
    /// pages say what the mailed link leads to.
    signup: bool,
    /// The form's privacy statement, linked from the page's footer.
    privacy: String,
}

async fn facts(app: &App, round: crate::rounds::RoundId) -> Result<Facts, Error> {
    let round = app.rounds.get(app.db.read(), round).await?;
    let signup = round.form.kind == crate::forms::FormKind::Signup;
    Ok(Facts { signup, privacy: crate::privacy::round_link(&round) })
}

fn page(
    app: &App,
    title: &str,
    slug: &str,
    facts: &Facts,
    person: &RegistrationForm,
    problems: &[&str],
    status: Status,
) -> Reply {
    let roles: Vec<_> = app
        .catalog
        .forms()
        .list_pairs("rollen")
        .into_iter()
        .map(|(value, label)| context! { selected: value == person.role, value, label })
        .collect();
    let context = context! {
        form_title: title, action: format!("/f/{slug}"), problems, roles, signup: facts.signup,
        privacy: &facts.privacy,
        name: &person.name, email: &person.email, practice: &person.practice,
    };
    Reply::Page((status, Template::render("register/form", context)))
}
