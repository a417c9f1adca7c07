//! Dutch pages for every error status, so a respondent never sees Rocket's English defaults and
//! a wrong link reveals nothing about any round.

use rocket::http::Status;
use rocket::{Catcher, Request, catch, catchers};
use rocket_dyn_templates::{Template, context};

pub fn catchers() -> Vec<Catcher> {
    catchers![bad_request, not_found, too_large, unsupported, unprocessable, server_error]
}

/// Renders the error page for `status` with its Dutch title and explanation.
pub fn page(status: Status) -> (Status, Template) {
    let (title, text) = match status.code {
        400 => (
            "Dit verzoek klopt niet",
            "Het formulier kwam onvolledig of beschadigd aan. Open de link opnieuw en probeer het nog eens; uw eerder opgeslagen antwoorden blijven bewaard.",
        ),
        404 => (
            "Deze link werkt niet",
            "De link is onjuist, verlopen of onvolledig gekopieerd. Controleer of u de hele link uit de e-mail hebt gebruikt, of vraag de organisatie om een nieuwe link.",
        ),
        403 => (
            "Open uw persoonlijke link opnieuw",
            "Deze pagina opent alleen in de browser waarin u uw persoonlijke link opende, en alleen een week lang. Open de link uit de e-mail opnieuw; uw eerder opgeslagen antwoorden blijven bewaard.",
        ),
        413 => (
            "Uw antwoord is te lang",
            "Wat u verstuurde is groter dan wij kunnen aannemen. Maak uw antwoorden korter en probeer het opnieuw; er is niets opgeslagen van deze poging.",
        ),
        415 => ("Dit verzoek klopt niet", "Verstuur het formulier vanuit de pagina zelf."),
        429 => (
            "Te veel onjuiste links",
            "Vanaf uw adres zijn in korte tijd te veel links geprobeerd die niet bestaan. Probeer het over een kwartier opnieuw met de hele link uit de e-mail.",
        ),
        _ => (
            "Er ging iets mis",
            "Er is niets opgeslagen van deze poging. Probeer het over een paar minuten opnieuw.",
        ),
    };
    render(status, title, text)
}

/// A respondent's form that came from another site (`Error::CrossSite`).
pub fn cross_site() -> (Status, Template) {
    let text = "Dit formulier kwam niet van een pagina van deze site, en is daarom niet verwerkt. \
                Open de link uit de e-mail opnieuw en verstuur het formulier vanaf die pagina.";
    render(Status::Forbidden, "Dit formulier is niet verwerkt", text)
}

/// The open registration's rate limit (`Error::TooManyRegistrations`).
pub fn too_many_registrations() -> (Status, Template) {
    let text = "Vanaf uw adres, of in totaal, zijn het afgelopen uur te veel aanmeldingen gedaan. \
                Er is niets opgeslagen van deze poging. Probeer het over een uur opnieuw.";
    render(Status::TooManyRequests, "Te veel aanmeldingen", text)
}

/// A personal link past its round's retention term (`Error::Expired`): not a mistake of the
/// person's, so the page says what happened instead of "check the link".
pub fn expired(form_title: &str) -> (Status, Template) {
    let text = format!(
        "Deze link hoorde bij \u{201c}{form_title}\u{201d}. De bewaartermijn van die vragenlijst is \
         voorbij: de link werkt daarom niet meer, en wat er met naam bij bewaard werd, is verwijderd \
         of anoniem gemaakt zoals de organisatie heeft vastgelegd. U hoeft niets te doen."
    );
    render(Status::Gone, "Deze link is verlopen", &text)
}

fn render(status: Status, title: &str, text: &str) -> (Status, Template) {
    (status, Template::render("errors/error", context! { title, text, code: status.code }))
}

#[catch(400)]
fn bad_request() -> (Status, Template) {
    page(Status::BadRequest)
}

#[catch(404)]
fn not_found() -> (Status, Template) {
    page(Status::NotFound)
}

#[catch(413)]
fn too_large() -> (Status, Template) {
    page(Status::PayloadTooLarge)
}

#[catch(415)]
fn unsupported() -> (Status, Template) {
    page(Status::UnsupportedMediaType)
}

#[catch(422)]
fn unprocessable() -> (Status, Template) {
    page(Status::BadRequest)
}

#[catch(500)]
fn server_error(_: &Request<'_>) -> (Status, Template) {
    page(Status::InternalServerError)
}
