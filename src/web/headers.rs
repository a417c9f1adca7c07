//! Response headers every page gets, and a request log that never shows a token.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response, async_trait};

pub struct SecurityHeaders;

/// No inline script or style anywhere, so the policy can forbid both.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

#[async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info { name: "security headers", kind: Kind::Response }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        res.set_header(Header::new("Content-Security-Policy", CSP));
        res.set_header(Header::new("Referrer-Policy", "no-referrer"));
        res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        res.set_header(Header::new("X-Frame-Options", "DENY"));
        if !req.uri().path().starts_with("/static/") {
            // Answers and links must not linger in shared caches or the back-forward cache.
            res.set_header(Header::new("Cache-Control", "no-store"));
        }
    }
}

pub struct RequestLog;

#[async_trait]
impl Fairing for RequestLog {
    fn info(&self) -> Info {
        Info { name: "request log", kind: Kind::Response }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let path = redact(req.uri().path().as_str());
        tracing::info!(method = %req.method(), path, status = res.status().code, "request");
    }
}

/// The path with personal tokens replaced, e.g. `/r/…`. An answer page's handle is no secret on
/// its own (it needs its cookie), but it is one person's: kept, it would tie their visits together.
pub fn redact(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    for i in 1..parts.len() {
        if matches!(parts[i - 1], "r" | "setup" | "wachtwoord" | "antwoord") && i == 2 {
            parts[i] = "…";
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_never_reach_the_log() {
        assert_eq!(super::redact("/r/abcdef"), "/r/…");
        assert_eq!(super::redact("/setup/abcdef"), "/setup/…");
        assert_eq!(super::redact("/wachtwoord/abcdef"), "/wachtwoord/…");
        assert_eq!(super::redact("/antwoord/0123abcd/plaats/4"), "/antwoord/…/plaats/4");
        assert_eq!(super::redact("/health"), "/health");
    }
}
