//! Response headers every page gets, and a request log that never shows a token or a handle.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response, async_trait};

pub struct SecurityHeaders {
    /// Whether browsers are told to come back over HTTPS only: when the service is reached
    /// over HTTPS (`base_url`). Over plain HTTP the header would be ignored, and behind a
    /// test or a LAN address it would be wrong.
    pub hsts: bool,
}

impl SecurityHeaders {
    pub fn for_base_url(base_url: &str) -> SecurityHeaders {
        SecurityHeaders { hsts: base_url.starts_with("https://") }
    }
}

/// No inline script or style anywhere, so the policy can forbid both.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A year, without `includeSubDomains` or `preload`: both bind more than this one service, and
/// preload cannot be undone quickly.
const HSTS: &str = "max-age=31536000";

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
        if self.hsts {
            res.set_header(Header::new("Strict-Transport-Security", HSTS));
        }
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
        let route = route(req);
        tracing::info!(method = %req.method(), route, status = res.status().code, "request");
    }
}

/// The pattern of the route that answered (`/r/<token>/<rest..>`, `/antwoord/<_>`), never the
/// path that was asked: a path can hold a token or a handle in any segment and any shape
/// (`//r/<token>`, `/r//<token>`, `/x/r/<token>`), and a pattern holds none. A handle is no secret
/// on its own (it needs its cookie), but it is one person's: logged, it would tie their visits
/// together, and the time of an anonymous round's last page to them. A request that no route
/// took is logged as `-`.
fn route(req: &Request<'_>) -> String {
    req.route().map_or_else(|| "-".to_owned(), |route| route.uri.to_string())
}
