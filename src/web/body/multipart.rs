//! `multipart/form-data` bodies: the one way a browser uploads a file without a script. Read
//! within a limit the caller gives (a contact list is larger than any answer), then split by
//! `multer` (already in the tree through Rocket). Text fields become the same `Posted` map as a
//! urlencoded body, strictly UTF-8; a file field keeps its bytes as sent, since whether they are
//! UTF-8 is for the file's reader to say, with a line number.

use std::collections::HashMap;

use rocket::Request;
use rocket::data::Data;
use rocket::http::ContentType;

use super::{BodyError, MAX_FIELDS, decode_urlencoded, read_within};
use crate::forms::validate::Posted;

/// A file as uploaded: its name on the sender's computer, and its bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The uploaded files by field name. A file field left empty (no file chosen) is not in it.
pub type Files = HashMap<String, Upload>;

/// The decoded text fields, owned by the request so typed fields can borrow from them.
struct DecodedUpload(Posted);

/// Reads a urlencoded or multipart body of at most `limit` bytes; the text fields are kept for
/// the rest of the request.
pub async fn decoded_with_files<'r>(
    req: &'r Request<'_>,
    data: Data<'r>,
    limit: u64,
) -> Result<(&'r Posted, Files), BodyError> {
    let (posted, files) = read(req, data, limit).await?;
    Ok((&req.local_cache(|| DecodedUpload(posted)).0, files))
}

async fn read(req: &Request<'_>, data: Data<'_>, limit: u64) -> Result<(Posted, Files), BodyError> {
    let content_type = req.content_type().ok_or(BodyError::NotForm)?;
    let multipart = content_type.is_form_data();
    if !multipart && content_type != &ContentType::Form {
        return Err(BodyError::NotForm);
    }
    let bytes = match read_within(data, limit).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(BodyError::TooLarge),
        Err(e) => return Err(BodyError::Io(e.kind().to_string())),
    };
    if !multipart {
        return Ok((decode_urlencoded(&bytes)?, Files::new()));
    }
    let boundary = content_type.param("boundary").ok_or(BodyError::Malformed("no multipart boundary"))?;
    split(bytes, boundary).await
}

async fn split(bytes: Vec<u8>, boundary: &str) -> Result<(Posted, Files), BodyError> {
    let malformed = |_| BodyError::Malformed("a broken multipart body");
    let body = multer::bytes::Bytes::from(bytes);
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let (mut posted, mut files) = (Posted::new(), Files::new());
    let mut count = 0;
    while let Some(field) = parts.next_field().await.map_err(malformed)? {
        count += 1;
        if count > MAX_FIELDS {
            return Err(BodyError::Malformed("too many fields"));
        }
        let name =
            field.name().filter(|n| !n.is_empty()).ok_or(BodyError::Malformed("a field without a name"))?;
        let name = name.to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(malformed)?;
                if !(file_name.is_empty() && bytes.is_empty()) {
                    files.entry(name).or_insert(Upload { file_name, bytes: bytes.to_vec() });
                }
            }
            None => {
                let text = field.text().await.map_err(malformed)?;
                posted.entry(name).or_default().push(text);
            }
        }
    }
    Ok((posted, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, file, content) in parts {
            out.extend_from_slice(b"--grens\r\n");
            let disposition = match file {
                Some(file) => {
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n")
                }
                None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
            };
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--grens--\r\n");
        out
    }

    #[tokio::test]
    async fn text_fields_and_files_come_apart_and_a_file_keeps_its_bytes() {
        let latin1: &[u8] = b"naam;e-mail\r\nJos\xe9;j@x.nl\r\n";
        let bytes =
            body(&[("csrf", None, b"t0k"), ("bestand", Some("lijst.csv"), latin1), ("leeg", Some(""), b"")]);
        let (posted, files) = split(bytes, "grens").await.expect("splits");
        assert_eq!(posted["csrf"], ["t0k"]);
        assert_eq!(files["bestand"], Upload { file_name: "lijst.csv".into(), bytes: latin1.to_vec() });
        assert!(!files.contains_key("leeg"), "no file chosen is no file");
    }

    #[tokio::test]
    async fn a_broken_body_is_refused() {
        let refused = split(b"--grens\r\nnonsense".to_vec(), "grens").await;
        assert!(matches!(refused, Err(BodyError::Malformed(_))));
    }
}
