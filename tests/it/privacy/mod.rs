//! What peil tells people about their data and what it lists for the processing register: the
//! privacy statement at `/privacy/<form>` (what it says of an anonymous and an identified form,
//! and of a form used both ways), the links to it from every page and mail a respondent gets,
//! and `peil privacy register` with its page. The phone-width check is in `a11y::privacy`.

mod asked;
mod links;
mod register;
mod statement;

use peil::organisation::{Organisation, RawOrganisation};
use peil::settings::Settings;

/// The organisation of these tests, with a privacy officer, and a threshold of 5.
pub(crate) fn noord_with_officer(settings: &mut Settings) {
    settings.organisation = Organisation::parse(RawOrganisation {
        name: Some("Huisartsen Noord".into()),
        email: Some("secretariaat@hanoord.nl".into()),
        phone: Some("020 123 4567".into()),
        privacy_contact: Some("fg@hanoord.nl".into()),
    })
    .expect("a valid organisation");
    settings.min_group_size = 5;
}

/// `html` with Tera's escaping of `/` undone, so an address reads as written.
pub(crate) fn unescaped(html: &str) -> String {
    html.replace("&#x2F;", "/")
}
