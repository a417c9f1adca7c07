//! The relay an `smtp_url` names, read once at start-up the way lettre reads such URLs
//! (`AsyncSmtpTransport::from_url`), so a URL that worked before still means the same: `smtp` or
//! `smtps`, a percent-encoded user and password, the port defaulting to 25, 587 with `?tls=` and
//! 465 for `smtps`, and the path as the name peil gives in EHLO. What peil cannot honour is
//! refused here, naming the URL without its password.

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;

use super::MailError;

/// How the conversation with the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtp://` without `tls=`: no TLS, and a login (if any) in the clear, as the URL asks.
    Plain,
    /// `?tls=required` or `?tls=opportunistic`: STARTTLS after the greeting. Opportunistic goes
    /// on unencrypted when the relay offers no STARTTLS, but never logs in that way.
    StartTls { required: bool },
    /// `smtps://`: TLS from the first byte.
    Implicit,
}

#[derive(Clone, Debug)]
pub struct Endpoint {
    /// A DNS name or an IP address (without brackets), as the certificate must name it.
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub credentials: Option<Credentials>,
    pub hello: ClientId,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Endpoint, MailError> {
        // Neither lettre's nor url's own message: both may quote the URL, password included.
        let refuse = |why: &str| MailError::SmtpUrl(format!("{} ({why})", redact(url)));
        let parsed = url::Url::parse(url).map_err(|_| refuse("not a URL"))?;
        let host = match parsed.host() {
            Some(url::Host::Domain(name)) if !name.is_empty() => name.to_string(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err(refuse("no host")),
        };
        let tls = parsed.query_pairs().find(|(key, _)| key == "tls").map(|(_, value)| value.into_owned());
        let (security, default_port) = match (parsed.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTls { required: true }, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTls { required: false }, 587),
            ("smtp", Some(_)) => return Err(refuse("tls= is `required` or `opportunistic`")),
            // lettre ignores `tls=` on smtps: the connection is TLS whatever it says.
            ("smtps", _) => (Security::Implicit, 465),
            _ => return Err(refuse("the scheme is smtp or smtps")),
        };
        let name = parsed.path().trim_matches('/');
        let hello = if name.is_empty() { ClientId::default() } else { ClientId::Domain(name.to_string()) };
        Ok(Endpoint {
            host,
            port: parsed.port().unwrap_or(default_port),
            security,
            credentials: credentials(&parsed).map_err(|()| refuse("the user or password is not UTF-8"))?,
            hello,
        })
    }

    /// `host:port` for messages and the log.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// As lettre: a login only when the URL holds a password, both percent-decoded.
fn credentials(url: &url::Url) -> Result<Option<Credentials>, ()> {
    let Some(password) = url.password() else { return Ok(None) };
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text).decode_utf8().map(|t| t.into_owned()).map_err(drop)
    };
    Ok(Some(Credentials::new(decode(url.username())?, decode(password)?)))
}

/// The URL without its user and password.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return "an unreadable URL".into() };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> Endpoint {
        Endpoint::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    #[test]
    fn ports_default_as_lettre_defaults_them() {
        assert_eq!(parsed("smtp://localhost").port, 25);
        assert_eq!(parsed("smtp://mail.example.org?tls=required").port, 587);
        assert_eq!(parsed("smtp://mail.example.org?tls=opportunistic").port, 587);
        assert_eq!(parsed("smtps://mail.example.org").port, 465);
        assert_eq!(parsed("smtps://mail.example.org:2465").port, 2465);
        assert_eq!(parsed("smtp://127.0.0.1:2525/").address(), "127.0.0.1:2525");
        assert_eq!(parsed("smtp://[::1]:2525").address(), "[::1]:2525");
    }

    #[test]
    fn the_tls_parameter_and_scheme_choose_the_protection() {
        assert_eq!(parsed("smtp://relay").security, Security::Plain);
        assert_eq!(parsed("smtp://relay?tls=required").security, Security::StartTls { required: true });
        let opportunistic = parsed("smtp://relay?tls=opportunistic").security;
        assert_eq!(opportunistic, Security::StartTls { required: false });
        assert_eq!(parsed("smtps://relay?tls=required").security, Security::Implicit);
    }

    #[test]
    fn user_and_password_are_percent_decoded_and_a_user_alone_is_no_login() {
        let login = parsed("smtps://peil%40example.org:p%40ss%3Aw%C3%B6rd@mail.example.org").credentials;
        let expected = Credentials::new("peil@example.org".into(), "p@ss:wörd".into());
        assert_eq!(login, Some(expected));
        assert_eq!(parsed("smtp://peil@relay").credentials, None);
        assert_eq!(parsed("smtp://relay").credentials, None);
    }

    #[test]
    fn the_path_is_the_name_given_in_ehlo() {
        assert_eq!(
            parsed("smtp://relay:25/peil.example.org").hello,
            ClientId::Domain("peil.example.org".into())
        );
        assert_eq!(parsed("smtp://relay:25").hello, ClientId::default());
    }

    #[test]
    fn what_cannot_be_honoured_is_refused_without_echoing_the_password() {
        for url in [
            "ftp://u:secret@host",
            "smtp://u:secret@host?tls=always",
            "smtp://u:secret@",
            "u:secret@host",
            "smtp://u:%FF%FEsecret@host",
        ] {
            let Err(e) = Endpoint::parse(url) else { panic!("{url} accepted") };
            assert!(!e.to_string().contains("secret"), "{e}");
        }
    }

    #[test]
    fn credentials_never_reach_the_description() {
        assert_eq!(redact("smtps://user:p%40ss@mail.example.org:465"), "smtps://mail.example.org:465");
        assert_eq!(redact("smtp://relay:25?tls=required"), "smtp://relay:25?tls=required");
        assert_eq!(redact("nonsense"), "an unreadable URL");
    }
}
