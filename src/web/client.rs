//! Who is asking, by network address: the one place that decides it, for the login and
//! wrong-link limits and the audit log. Rocket's peer is the front (`crate::front`), which says
//! which client each of its connections carries; a connection the front did not open (a test
//! talking to Rocket directly) is taken as it is. That peer is the client, unless it is
//! one of the configured `trusted_proxies`: only then is a forwarded address believed, because
//! anyone else can put any address in a header. Rocket's own `ip_header` is switched off (see
//! `web::build`), so `Request::client_ip` is the peer too and cannot disagree with this.

use std::net::IpAddr;

use rocket::Request;
use rocket::request::{FromRequest, Outcome};

use super::App;

/// The client's address as peil counts it; `None` when the connection has no peer address
/// (a test client without a socket).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// For logs and the audit log: the address, or "onbekend".
    pub fn describe(self) -> String {
        self.0.map_or_else(|| "onbekend".to_owned(), |ip| ip.to_string())
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientAddress {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(of(req))
    }
}

/// The client address of `req` (see the module comment).
pub fn of(req: &Request<'_>) -> ClientAddress {
    let app = req.rocket().state::<App>();
    let trusted = app.map(|app| app.settings.trusted_proxies.as_slice());
    let peer = req.remote().map(|peer| app.and_then(|app| app.peers.client_of(peer)).unwrap_or(peer));
    let headers = req.headers();
    ClientAddress(decide(
        peer.map(|peer| peer.ip()),
        trusted.unwrap_or_default(),
        headers.get_one("X-Real-IP"),
        headers.get_one("X-Forwarded-For"),
    ))
}

/// The rule, apart from Rocket. A trusted proxy's `X-Real-IP` wins (the proxy sets it and
/// overwrites what the client sent); without it, the right-most `X-Forwarded-For` entry that is
/// not a trusted proxy, since every proxy appends the address it saw and the left part is the
/// client's to invent. A header that does not parse is ignored.
fn decide(
    peer: Option<IpAddr>,
    trusted: &[IpAddr],
    real_ip: Option<&str>,
    forwarded_for: Option<&str>,
) -> Option<IpAddr> {
    let peer = peer.map(canonical);
    let Some(proxy) = peer.filter(|p| trusted.contains(p)) else { return peer };
    if let Some(ip) = real_ip.and_then(parsed) {
        return Some(ip);
    }
    let mut hops = forwarded_for.unwrap_or_default().rsplit(',').filter_map(parsed);
    Some(hops.find(|hop| !trusted.contains(hop)).unwrap_or(proxy))
}

fn parsed(text: &str) -> Option<IpAddr> {
    text.trim().parse().ok().map(canonical)
}

/// An IPv4 address seen through an IPv6 socket (`::ffff:192.0.2.7`) counts as itself.
fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_peer_that_is_no_proxy_is_the_client_whatever_it_sends() {
        let peer = Some(ip("203.0.113.5"));
        assert_eq!(decide(peer, &[], Some("10.0.0.1"), Some("10.0.0.2")), peer);
        assert_eq!(decide(peer, &[ip("127.0.0.1")], Some("10.0.0.1"), None), peer);
        assert_eq!(decide(None, &[ip("127.0.0.1")], Some("10.0.0.1"), None), None);
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let proxy = Some(ip("127.0.0.1"));
        let trusted = [ip("127.0.0.1"), ip("10.1.1.1")];
        assert_eq!(decide(proxy, &trusted, Some(" 192.0.2.7 "), Some("1.2.3.4")), Some(ip("192.0.2.7")));
        let forwarded = Some("6.6.6.6, 192.0.2.8, 10.1.1.1");
        assert_eq!(decide(proxy, &trusted, None, forwarded), Some(ip("192.0.2.8")));
        assert_eq!(decide(proxy, &trusted, Some("onzin"), Some("ook onzin")), proxy);
        let mapped = Some(ip("::ffff:127.0.0.1"));
        assert_eq!(decide(mapped, &trusted, Some("::ffff:192.0.2.9"), None), Some(ip("192.0.2.9")));
    }
}
