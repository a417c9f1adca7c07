//! `/beheer/contacten/importeren`: a contact list in, through a preview that writes nothing.
//!
//! The form takes a file (multipart) or pasted text. Its post shows what importing would do
//! (`contacts::preview`): the header as read, with a suggestion for each unknown column, every
//! problem with its line, the counts, the first rows as they would be stored. Only a list without
//! problems gets the "Importeren" button, which posts the very same bytes back (base64 in a hidden
//! field, so the server keeps nothing between the two posts) to `contacts::import_bytes`, the
//! function behind `peil contacts import`: all rows or none.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rocket::http::Status;
use rocket::{State, get, post};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::{Page, vocabulary};
use crate::contacts::{self, ContactsError, MAX_LIST_BYTES, Preview, RowError, Vocabulary};
use crate::web::auth::Admin;
use crate::web::upload::CsrfUpload;
use crate::web::{App, Error};

/// The label of a list that was pasted rather than uploaded.
const PASTED: &str = "geplakte lijst";

#[get("/beheer/contacten/importeren")]
pub(super) async fn form(admin: Admin) -> Template {
    form_page(&admin, None, "")
}

fn form_page(admin: &Admin, error: Option<String>, pasted: &str) -> Template {
    let context = context! {
        error,
        pasted,
        max_mb: MAX_LIST_BYTES / (1024 * 1024),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Template::render("admin/contacts/import", context)
}

/// The import form's text field; the file comes as `bestand`.
#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Upload<'r> {
    tekst: &'r str,
}

#[post("/beheer/contacten/importeren", data = "<form>")]
pub(super) async fn preview(admin: Admin, form: CsrfUpload<Upload<'_>>, app: &State<App>) -> Page {
    let (label, bytes) = match form.files.get("bestand") {
        Some(file) => (file_label(&file.file_name), file.bytes.as_slice()),
        None => (PASTED.to_owned(), form.fields.tekst.as_bytes()),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let error = "Kies een bestand, of plak de lijst in het tekstvak.".to_owned();
        return Ok((Status::UnprocessableEntity, form_page(&admin, Some(error), "")));
    }
    if bytes.len() > MAX_LIST_BYTES {
        let error =
            format!("Deze lijst is groter dan {} MB. Splits hem in delen.", MAX_LIST_BYTES / (1024 * 1024));
        return Ok((Status::PayloadTooLarge, form_page(&admin, Some(error), "")));
    }
    let vocab = vocabulary(app);
    let preview = contacts::preview(app.db.read(), &label, bytes, &vocab, &app.secret).await?;
    Ok(preview_page(&admin, &label, bytes, &preview, &vocab))
}

/// The name of an uploaded file as messages and the audit log show it: without a path (old
/// browsers sent one), without control characters, not too long.
fn file_label(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = name.chars().filter(|c| !c.is_control()).take(100).collect();
    if name.trim().is_empty() { "bestand".to_owned() } else { name }
}

/// The "Importeren" button's post: the list as previewed.
#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Confirm<'r> {
    lijst: &'r str,
    naam: &'r str,
}

#[post("/beheer/contacten/importeren/bevestigen", data = "<form>")]
pub(super) async fn confirm(admin: Admin, form: CsrfUpload<Confirm<'_>>, app: &State<App>) -> Page {
    let Confirm { lijst, naam } = form.fields;
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(lijst) else { return Err(Error::BadRequest) };
    if bytes.is_empty() || bytes.len() > MAX_LIST_BYTES {
        return Err(Error::BadRequest);
    }
    let label = file_label(naam);
    let vocab = vocabulary(app);
    match contacts::import_bytes(&app.db, &label, &bytes, &vocab, &app.secret, Some(&admin.email), app.now())
        .await
    {
        Ok(summary) => {
            let context = context! {
                label,
                summary,
                account_email: &admin.email,
                csrf: admin.csrf(),
            };
            Ok((Status::Ok, Template::render("admin/contacts/imported", context)))
        }
        // The lists of roles or wijken changed since the preview: show it again as it is now.
        Err(ContactsError::Rows(_)) => {
            let preview = contacts::preview(app.db.read(), &label, &bytes, &vocab, &app.secret).await?;
            Ok(preview_page(&admin, &label, &bytes, &preview, &vocab))
        }
        Err(e) => Err(e.into()),
    }
}

/// A problem as the preview lists it.
#[derive(Serialize)]
struct ProblemView {
    line: u64,
    message: String,
}

impl From<&RowError> for ProblemView {
    fn from(e: &RowError) -> ProblemView {
        ProblemView { line: e.line, message: e.problem.dutch() }
    }
}

/// A row as it would be stored, with the labels of its role and wijk.
#[derive(Serialize)]
struct RowView {
    line: u64,
    name: String,
    email: String,
    role: String,
    practice: String,
    wijk: String,
    gemeente: String,
    change: &'static str,
    opted_out: bool,
}

fn preview_page(
    admin: &Admin,
    label: &str,
    bytes: &[u8],
    preview: &Preview,
    vocab: &Vocabulary,
) -> (Status, Template) {
    let label_of = |pairs: &[(String, String)], code: &str| {
        pairs.iter().find(|(value, _)| value == code).map_or_else(|| code.to_owned(), |(_, l)| l.clone())
    };
    let problems: Vec<ProblemView> = preview.problems.iter().map(ProblemView::from).collect();
    let sample: Vec<RowView> = preview
        .sample
        .iter()
        .map(|row| RowView {
            line: row.line,
            name: row.contact.name.clone(),
            email: row.contact.email.to_string(),
            role: label_of(&vocab.roles, &row.contact.role),
            practice: row.contact.practice.clone(),
            wijk: label_of(&vocab.wijken, &row.contact.wijk),
            gemeente: row.contact.gemeente.clone(),
            change: row.change.dutch(),
            opted_out: row.opted_out,
        })
        .collect();
    let can_import = preview.can_import();
    let context = context! {
        label,
        header: &preview.header,
        problems,
        counts: preview.counts,
        rows: preview.rows,
        sample,
        can_import,
        list: can_import.then(|| URL_SAFE_NO_PAD.encode(bytes)),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    let status = if can_import { Status::Ok } else { Status::UnprocessableEntity };
    (status, Template::render("admin/contacts/preview", context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_loses_its_path_and_control_characters() {
        assert_eq!(file_label("C:\\Users\\anna\\lijst.csv"), "lijst.csv");
        assert_eq!(file_label("map/lijst\n.csv"), "lijst.csv");
        assert_eq!(file_label(""), "bestand");
    }
}
