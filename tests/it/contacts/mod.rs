//! Contacts: importing the office's list (from the command line, and on `/beheer/contacten` with a
//! preview first), the list with its search and filters, and a contact's page, edits and opt-outs.

mod accreditation;
mod browser;
mod import;
mod list;
mod page;
mod upload;

use crate::helpers::Session;

/// Posts the import form as a browser does: `multipart/form-data`, with the file (name, bytes)
/// if any, the pasted text, and the CSRF token unless it is `None`.
pub(crate) async fn upload(
    session: &Session,
    csrf: Option<&str>,
    file: Option<(&str, &[u8])>,
    text: &str,
) -> (u16, String) {
    let mut body = Vec::new();
    let mut part = |disposition: String, content: &[u8]| {
        body.extend_from_slice(b"--peilgrens\r\n");
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    if let Some(csrf) = csrf {
        part("Content-Disposition: form-data; name=\"csrf\"".into(), csrf.as_bytes());
    }
    let (name, bytes) = file.unwrap_or(("", b""));
    part(
        format!(
            "Content-Disposition: form-data; name=\"bestand\"; filename=\"{name}\"\r\nContent-Type: text/csv"
        ),
        bytes,
    );
    part("Content-Disposition: form-data; name=\"tekst\"".into(), text.as_bytes());
    body.extend_from_slice(b"--peilgrens--\r\n");
    let response = session
        .client
        .post(format!("{}/beheer/contacten/importeren", session.url))
        .header("content-type", "multipart/form-data; boundary=peilgrens")
        .body(body)
        .send()
        .await
        .expect("POST the import form");
    (response.status().as_u16(), response.text().await.expect("body"))
}

/// The value of the hidden field `name` on a page, as the browser would post it.
pub(crate) fn hidden(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let value = &page[start..start + page[start..].find('"')?];
    Some(unescape(value))
}

/// `text` as a browser reads it back from the template's escaping.
pub(crate) fn unescape(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of the element with `id`, up to its first tag.
pub(crate) fn text_of(page: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\">");
    let start = page.find(&marker)? + marker.len();
    Some(unescape(&page[start..start + page[start..].find('<')?]))
}

/// Every column of every contact, so a page that must write nothing can be shown to have written
/// nothing.
pub(crate) async fn table(app: &crate::helpers::TestApp) -> Vec<String> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT email, name, role, practice, wijk, gemeente, opted_out, updated_at FROM contacts ORDER BY email",
    )
    .fetch_all(&app.pool)
    .await
    .expect("select");
    rows.iter()
        .map(|r| {
            let text = |i| r.get::<String, _>(i);
            let opted_out: i64 = r.get(6);
            format!(
                "{}|{}|{}|{}|{}|{}|{opted_out}|{}",
                text(0),
                text(1),
                text(2),
                text(3),
                text(4),
                text(5),
                text(7)
            )
        })
        .collect()
}

/// The audit rows of `action`, oldest first: (actor, detail).
pub(crate) async fn audited(app: &crate::helpers::TestApp, action: &str) -> Vec<(Option<String>, String)> {
    sqlx::query_as("SELECT actor, detail FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&app.pool)
        .await
        .expect("audit rows")
}

/// The id of the contact with `email`.
pub(crate) async fn id_of(app: &crate::helpers::TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM contacts WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .expect("a contact")
}

pub(crate) async fn opt_out(app: &crate::helpers::TestApp, email: &str) {
    sqlx::query("UPDATE contacts SET opted_out = 1 WHERE email = $1")
        .bind(email)
        .execute(&app.pool)
        .await
        .expect("opt out");
}
