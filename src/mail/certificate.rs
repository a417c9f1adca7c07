//! The certificate of attendance a `certificate` mail carries, built at send time from the
//! stored content (see `crate::certificates`), and whether the mail still applies: a certificate
//! withdrawn since (attendance undone) is not sent.

use super::MailError;
use super::rows::Details;
use crate::certificates::{self, Issuer};
use crate::db::Db;
use crate::outbox::MailKind;

pub enum Pdf {
    /// Not a certificate mail.
    None,
    /// The certificate was withdrawn (or never issued): the mail is cancelled.
    Withdrawn,
    Built(Vec<u8>),
    /// Its content could not be read or drawn: a bug, reported on the row rather than retried.
    Broken,
}

/// The PDF for a `kind` mail about the seat in `details`.
pub async fn attachment(
    db: &Db,
    kind: MailKind,
    details: &Details,
    issuer: &Issuer,
) -> Result<Pdf, MailError> {
    let (MailKind::Certificate, Some(seat)) = (kind, details.seat.as_ref()) else { return Ok(Pdf::None) };
    let found = match certificates::of_seat(db.read(), seat.id).await {
        Ok(found) => found,
        Err(certificates::CertificateError::Db(e)) => return Err(e.into()),
        Err(e) => {
            tracing::error!(error = %e, "a certificate cannot be read");
            return Ok(Pdf::Broken);
        }
    };
    match found {
        Some(certificate) if certificate.withdrawn_at.is_none() => {
            match certificates::pdf(&certificate, issuer) {
                Ok(bytes) => Ok(Pdf::Built(bytes)),
                Err(e) => {
                    tracing::error!(error = %e, "a certificate cannot be drawn");
                    Ok(Pdf::Broken)
                }
            }
        }
        _ => Ok(Pdf::Withdrawn),
    }
}
