//! `Timestamp`: a moment as the database holds it, RFC 3339 UTC to the second
//! (`2027-03-01T09:00:00Z`) in a TEXT column on both backends. Fixed width, so the strings sort
//! and compare in SQL as the moments do (`due_at <= $1`).
//!
//! Read and written by sqlx like any column type: a bad value in a row is a decode error that
//! names it, never a silent 1970 or "now".

use chrono::{DateTime, Utc};
use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

const FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

#[derive(Debug, thiserror::Error)]
#[error("not a stored moment (RFC 3339): {0:?}")]
pub struct BadTimestamp(pub String);

impl Timestamp {
    pub fn at(self) -> DateTime<Utc> {
        self.0
    }

    pub fn parse(text: &str) -> Result<Timestamp, BadTimestamp> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| Timestamp(t.with_timezone(&Utc)))
            .map_err(|_| BadTimestamp(text.to_owned()))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Timestamp {
        Timestamp(t)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> DateTime<Utc> {
        t.0
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format(FORMAT))
    }
}

impl Type<Any> for Timestamp {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl Encode<'_, Any> for Timestamp {
    fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <String as Encode<Any>>::encode(self.to_string(), buf)
    }
}

impl<'r> Decode<'r, Any> for Timestamp {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Timestamp, BoxDynError> {
        let text = <&str as Decode<Any>>::decode(value)?;
        Ok(Timestamp::parse(text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::Timestamp;
    use chrono::TimeZone;

    #[test]
    fn a_moment_is_written_to_the_second_in_utc_and_read_back() {
        let t = chrono::Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 5).unwrap();
        let stored = Timestamp::from(t).to_string();
        assert_eq!(stored, "2027-03-01T09:00:05Z");
        assert_eq!(Timestamp::parse(&stored).unwrap().at(), t);
    }

    #[test]
    fn a_moment_with_an_offset_is_read_as_the_same_instant() {
        let t = Timestamp::parse("2027-03-01T10:00:05+01:00").unwrap();
        assert_eq!(t.to_string(), "2027-03-01T09:00:05Z");
    }

    #[test]
    fn a_value_that_is_not_a_moment_is_an_error_not_1970() {
        for bad in ["", "0", "2027-03-01", "2027-02-30T09:00:00Z", "gisteren"] {
            let err = Timestamp::parse(bad).unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
    }
}
