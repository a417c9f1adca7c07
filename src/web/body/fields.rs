//! `Fields<T>`: a fixed form typed by Rocket's `FromForm`, on top of this module's strict reading
//! and decoding. The decoded fields are kept in the request's cache, so `T` may borrow them
//! (`&'r str` fields), and fed to `T` through the trait's own steps: `init`, `push_value` for
//! every value, `finalize`.
//!
//! The feeding is lenient, which is how the hand-written forms behaved: a field `T` does not name
//! is left alone, a repeated field counts with its first value, and a missing one takes the
//! field's `#[field(default = ...)]`. A field that must come once says so with `Strict<_>`.
//! Names with Rocket's nesting syntax (`a.b`, `a[0]`) are passed over: no fixed form nests, and
//! `a.b` is not `a`.

use rocket::data::{Data, FromData, Outcome};
use rocket::form::name::NameView;
use rocket::form::{FromForm, Options, ValueField};
use rocket::http::ext::IntoOwned;
use rocket::{Request, async_trait};

use super::{BodyError, read_form};
use crate::forms::validate::Posted;

/// A fixed form's fields as its `#[derive(FromForm)]` type. Fails with 400 when `T` does not
/// accept them; a handler that shows the form's errors again takes `Fields<Contextual<'_, T>>`,
/// which always succeeds.
pub struct Fields<T>(pub T);

#[async_trait]
impl<'r, T: FromForm<'r>> FromData<'r> for Fields<T> {
    type Error = BodyError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        match decoded(req, data).await.and_then(typed) {
            Ok(form) => Outcome::Success(Fields(form)),
            Err(e) => Outcome::Error((e.status(), e)),
        }
    }
}

/// The decoded body, owned by the request so typed fields can borrow from it.
struct Decoded(Posted);

/// Reads and decodes the body (see `FormBody`), and keeps it for the rest of the request.
pub async fn decoded<'r>(req: &'r Request<'_>, data: Data<'r>) -> Result<&'r Posted, BodyError> {
    let posted = read_form(req, data).await?;
    Ok(&req.local_cache(|| Decoded(posted)).0)
}

/// The body `decoded` read earlier in this request, or nothing when it was not read.
pub fn decoded_again(req: &Request<'_>) -> Posted {
    req.local_cache(|| Decoded(Posted::new())).0.clone()
}

/// The first value posted under `name`, or "".
pub fn first<'a>(posted: &'a Posted, name: &str) -> &'a str {
    posted.get(name).and_then(|values| values.first()).map_or("", String::as_str)
}

/// Feeds `posted` to `T` (see the module comment).
pub fn typed<'r, T: FromForm<'r>>(posted: &'r Posted) -> Result<T, BodyError> {
    let mut context = T::init(Options::Lenient);
    for (name, values) in posted.iter().filter(|(name, _)| is_plain(name)) {
        for value in values {
            T::push_value(&mut context, ValueField::from((name.as_str(), value.as_str())));
        }
    }
    T::finalize(context).map_err(|errors| BodyError::Fields(errors.into_owned()))
}

/// A name Rocket reads as one key, the whole name.
fn is_plain(name: &str) -> bool {
    NameView::new(name).key_lossy().as_str() == name
}

#[cfg(test)]
mod tests {
    use rocket::form::error::ErrorKind;
    use rocket::form::{Contextual, Strict};

    use super::*;
    use crate::web::decode_urlencoded;

    #[derive(Debug, PartialEq, rocket::FromForm)]
    struct Login<'r> {
        #[field(default = "")]
        email: &'r str,
        #[field(default = "")]
        password: &'r str,
    }

    #[derive(Debug, rocket::FromForm)]
    struct Once<'r> {
        #[field(default = "")]
        name: Strict<&'r str>,
    }

    #[derive(Debug, rocket::FromForm)]
    struct Count {
        count: u8,
    }

    fn posted(body: &str) -> Posted {
        decode_urlencoded(body.as_bytes()).unwrap()
    }

    /// The errors `T` is refused with.
    fn refused<'a, T: FromForm<'a> + std::fmt::Debug>(posted: &'a Posted) -> rocket::form::Errors<'static> {
        match typed::<T>(posted) {
            Err(BodyError::Fields(errors)) => errors,
            other => panic!("not refused: {other:?}"),
        }
    }

    fn only_kind<'e>(errors: &'e rocket::form::Errors<'static>) -> &'e ErrorKind<'static> {
        assert_eq!(errors.len(), 1, "{errors}");
        &errors[0].kind
    }

    #[test]
    fn the_fields_of_a_post_become_the_forms_type() {
        let posted = posted("email=eva%40example.org&password=geheim+1");
        assert_eq!(typed::<Login>(&posted), Ok(Login { email: "eva@example.org", password: "geheim 1" }));
    }

    #[test]
    fn a_missing_field_takes_its_default_and_without_one_is_refused() {
        let body = posted("email=eva%40example.org");
        assert_eq!(typed::<Login>(&body), Ok(Login { email: "eva@example.org", password: "" }));
        assert!(matches!(only_kind(&refused::<Count>(&posted(""))), ErrorKind::Missing));
    }

    #[test]
    fn a_repeated_field_counts_with_its_first_value_unless_it_is_strict() {
        let body = posted("email=eerste&email=tweede");
        assert_eq!(typed::<Login>(&body).map(|login| login.email), Ok("eerste"));
        let twice = posted("name=Eva&name=Evil");
        assert!(matches!(only_kind(&refused::<Once>(&twice)), ErrorKind::Duplicate));
        assert_eq!(typed::<Once>(&posted("name=Eva")).map(|once| *once.name), Ok("Eva"));
        assert_eq!(typed::<Once>(&posted("")).map(|once| *once.name), Ok(""));
    }

    #[test]
    fn a_field_of_the_wrong_type_is_refused_and_shown_again_by_contextual() {
        let body = posted("count=twaalf");
        assert!(matches!(only_kind(&refused::<Count>(&body)), ErrorKind::Int(_)));
        let shown = typed::<Contextual<'_, Count>>(&body).unwrap();
        assert!(shown.value.is_none());
        assert_eq!(shown.context.field_value("count"), Some("twaalf"));
        assert_eq!(shown.context.field_errors("count").count(), 1);
        assert_eq!(typed::<Count>(&posted("count=12")).map(|c| c.count), Ok(12));
    }

    #[test]
    fn unknown_and_nested_names_are_left_alone() {
        let body = posted("email.x=nee&password%5B0%5D=nee&csrf=t&_method=put&email=ja");
        assert_eq!(typed::<Login>(&body), Ok(Login { email: "ja", password: "" }));
        assert!(is_plain("email") && is_plain("_page"));
        assert!(!is_plain("email.x") && !is_plain("a[0]") && !is_plain("[a]"));
    }
}
