//! Finding contacts: a page of the list as the coordinator filters it, one contact by id, and the
//! gemeenten in use. Filtered and paged in SQL, so a list of 10,000 answers as fast as one of 40.

use super::{Contact, ContactId, ContactRow};
use crate::db::Pool;

/// Contacts per page of the list.
pub const PAGE_SIZE: i64 = 50;

/// Which contacts to list; `None` and empty texts mean any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// A part of the name, the e-mail address or the practice, in any case.
    pub text: Option<String>,
    pub role: Option<String>,
    pub wijk: Option<String>,
    pub gemeente: Option<String>,
    pub opted_out: Option<bool>,
}

/// One page of the list, with how many contacts match in all.
#[derive(Clone, Debug, Default)]
pub struct ContactPage {
    pub contacts: Vec<Contact>,
    pub total: i64,
}

/// The `WHERE` shared by the page and its count. The typed text is matched literally: `%` and `_`
/// in it are no wildcards. A wijk filter of "" means contacts without a wijk.
macro_rules! filtered {
    () => {
        "WHERE ($1 IS NULL OR LOWER(name) LIKE $1 ESCAPE '\\' OR email LIKE $1 ESCAPE '\\' \
           OR LOWER(practice) LIKE $1 ESCAPE '\\') \
         AND ($2 IS NULL OR role = $2) AND ($3 IS NULL OR wijk = $3) AND ($4 IS NULL OR gemeente = $4) \
         AND ($5 IS NULL OR opted_out = $5)"
    };
}

const PAGE: &str = concat!(
    "SELECT id, email, name, role, practice, wijk, gemeente, opted_out FROM contacts ",
    filtered!(),
    " ORDER BY LOWER(name), id LIMIT $6 OFFSET $7"
);
const COUNT: &str = concat!("SELECT COUNT(*) FROM contacts ", filtered!());

/// Contacts `offset..offset + PAGE_SIZE` of those `filter` selects, by name.
pub async fn search(pool: &Pool, filter: &ContactFilter, offset: i64) -> Result<ContactPage, sqlx::Error> {
    let pattern = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|text| crate::db::like_containing(&text.to_lowercase()));
    let opted_out = filter.opted_out.map(i64::from);
    let rows: Vec<ContactRow> = sqlx::query_as(PAGE)
        .bind(pattern.clone())
        .bind(filter.role.clone())
        .bind(filter.wijk.clone())
        .bind(filter.gemeente.clone())
        .bind(opted_out)
        .bind(PAGE_SIZE)
        .bind(offset.max(0))
        .fetch_all(pool)
        .await?;
    let total: i64 = sqlx::query_scalar(COUNT)
        .bind(pattern)
        .bind(filter.role.clone())
        .bind(filter.wijk.clone())
        .bind(filter.gemeente.clone())
        .bind(opted_out)
        .fetch_one(pool)
        .await?;
    Ok(ContactPage { contacts: rows.into_iter().map(Contact::from).collect(), total })
}

/// The contact with `id`, if there is one.
pub async fn find(pool: &Pool, id: ContactId) -> Result<Option<Contact>, sqlx::Error> {
    let row: Option<ContactRow> = sqlx::query_as(
        "SELECT id, email, name, role, practice, wijk, gemeente, opted_out FROM contacts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Contact::from))
}

/// Every gemeente some contact has, sorted: the choices of the list's gemeente filter (no
/// vocabulary names them).
pub async fn gemeenten(pool: &Pool) -> Result<Vec<String>, sqlx::Error> {
    let mut names: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT gemeente FROM contacts WHERE gemeente <> ''")
            .fetch_all(pool)
            .await?;
    // Sorted here: the backends' collations differ.
    names.sort_by_key(|name| name.to_lowercase());
    Ok(names)
}
