//! The caps on open connections: in total, and per client. A connection over either cap is
//! refused the moment it is accepted, so a flood of them costs one descriptor for an instant each
//! and never reaches Rocket. A client is an IPv4 address or an IPv6 /64 (one household or one
//! server has a whole /64 to choose from). A trusted proxy carries many clients, so it is held to
//! the total only.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Admits connections while both caps allow; each admitted one holds a `Ticket`.
#[derive(Clone, Debug)]
pub struct Gate {
    state: Arc<Mutex<Counts>>,
    max_total: usize,
    max_per_client: usize,
    uncapped: Arc<[IpAddr]>,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// Why a connection was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Full {
    Total,
    Client,
}

impl Gate {
    /// `uncapped`: addresses held to the total only (the trusted proxies).
    pub fn new(max_total: usize, max_per_client: usize, uncapped: &[IpAddr]) -> Gate {
        let uncapped = uncapped.iter().map(|ip| ip.to_canonical()).collect();
        Gate { state: Arc::default(), max_total, max_per_client, uncapped }
    }

    /// A ticket for one more connection from `ip`, or which cap it would break.
    pub fn admit(&self, ip: IpAddr) -> Result<Ticket, Full> {
        let ip = ip.to_canonical();
        let capped = !self.uncapped.contains(&ip);
        let client = client_key(ip);
        let mut counts = self.counts();
        if counts.total >= self.max_total {
            return Err(Full::Total);
        }
        if capped {
            let open = counts.per_client.entry(client).or_default();
            if *open >= self.max_per_client {
                return Err(Full::Client);
            }
            *open += 1;
        }
        counts.total += 1;
        Ok(Ticket { gate: self.clone(), client: capped.then_some(client) })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.counts().total
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An admitted connection; dropping it frees its place.
#[derive(Debug)]
pub struct Ticket {
    gate: Gate,
    client: Option<IpAddr>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut counts = self.gate.counts();
        counts.total = counts.total.saturating_sub(1);
        if let Some(client) = self.client
            && let Some(open) = counts.per_client.get_mut(&client)
        {
            *open = open.saturating_sub(1);
            if *open == 0 {
                counts.per_client.remove(&client);
            }
        }
    }
}

/// The address a client is counted under: IPv4 as it is, IPv6 by its /64.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn each_client_has_its_own_cap_under_the_total() {
        let gate = Gate::new(3, 2, &[]);
        let a1 = gate.admit(ip("192.0.2.1")).unwrap();
        let _a2 = gate.admit(ip("::ffff:192.0.2.1")).unwrap();
        assert_eq!(gate.admit(ip("192.0.2.1")).unwrap_err(), Full::Client);
        let _b = gate.admit(ip("192.0.2.2")).unwrap();
        assert_eq!(gate.admit(ip("192.0.2.3")).unwrap_err(), Full::Total);
        drop(a1);
        assert_eq!(gate.open(), 2);
        assert!(gate.admit(ip("192.0.2.1")).is_ok(), "a closed connection frees its place");
    }

    #[test]
    fn an_ipv6_client_is_its_64_and_a_trusted_proxy_is_held_to_the_total_only() {
        let gate = Gate::new(10, 1, &[ip("127.0.0.1")]);
        let _one = gate.admit(ip("2001:db8:1:2::1")).unwrap();
        assert_eq!(gate.admit(ip("2001:db8:1:2::ffff")).unwrap_err(), Full::Client);
        assert!(gate.admit(ip("2001:db8:1:3::1")).is_ok());
        let proxied: Vec<_> = (0..5).map(|_| gate.admit(ip("127.0.0.1")).unwrap()).collect();
        assert_eq!(proxied.len(), 5);
    }
}
