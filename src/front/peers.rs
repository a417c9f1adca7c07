//! Who is really on the other end of a connection Rocket accepted. Rocket sees the front as its
//! peer (`127.0.0.1`), so the front records, for each connection it opens to Rocket, that
//! connection's local address (its source port) and the client it relays for; `web::client`
//! looks the peer up here before it decides who is asking. The entry lives exactly as long as the
//! connection to Rocket: it is removed before that socket is closed, so a source port the system
//! hands out again never finds a stale client.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The map from the front's side of each connection to Rocket to the client it carries.
#[derive(Clone, Debug, Default)]
pub struct Peers(Arc<Mutex<HashMap<SocketAddr, SocketAddr>>>);

impl Peers {
    /// The client behind `rocket_peer`, the peer address Rocket reports for a request; `None`
    /// for a connection the front did not open (a test that talks to Rocket directly).
    pub fn client_of(&self, rocket_peer: SocketAddr) -> Option<SocketAddr> {
        self.map().get(&rocket_peer).copied()
    }

    /// Records that `front_side` carries `client` until the returned entry is dropped.
    pub fn record(&self, front_side: SocketAddr, client: SocketAddr) -> Entry {
        self.map().insert(front_side, client);
        Entry { peers: self.clone(), front_side, client }
    }

    /// How many connections to Rocket are open through the front.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    pub fn is_empty(&self) -> bool {
        self.map().is_empty()
    }

    fn map(&self) -> MutexGuard<'_, HashMap<SocketAddr, SocketAddr>> {
        // Nothing panics while holding the lock; a poisoned map is still a consistent map.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One recorded connection; dropping it forgets the connection.
#[derive(Debug)]
pub struct Entry {
    peers: Peers,
    front_side: SocketAddr,
    client: SocketAddr,
}

impl Drop for Entry {
    fn drop(&mut self) {
        let mut map = self.peers.map();
        // Only our own entry: never one a later connection on the same port put there.
        if map.get(&self.front_side) == Some(&self.client) {
            map.remove(&self.front_side);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_recorded_connection_names_its_client_until_it_ends() {
        let peers = Peers::default();
        let entry = peers.record(addr("127.0.0.1:40001"), addr("203.0.113.5:5555"));
        assert_eq!(peers.client_of(addr("127.0.0.1:40001")), Some(addr("203.0.113.5:5555")));
        assert_eq!(peers.client_of(addr("127.0.0.1:40002")), None, "another port is not ours");
        drop(entry);
        assert_eq!(peers.client_of(addr("127.0.0.1:40001")), None);
        assert!(peers.is_empty());
    }

    #[test]
    fn an_ending_connection_leaves_a_later_one_on_the_same_port_alone() {
        let peers = Peers::default();
        let first = peers.record(addr("127.0.0.1:40001"), addr("203.0.113.5:5555"));
        let second = peers.record(addr("127.0.0.1:40001"), addr("198.51.100.7:6666"));
        drop(first);
        assert_eq!(peers.client_of(addr("127.0.0.1:40001")), Some(addr("198.51.100.7:6666")));
        drop(second);
        assert_eq!(peers.len(), 0);
    }
}
