//! How long to wait before trying a message again after a temporary failure.
//!
//! Quick retries first (a restarting mail server is back within minutes), then every six hours,
//! and after about two days the message is given up: an invitation that arrives later than that
//! does more harm than good, and a relay that refuses for two days needs a person anyway.

use chrono::Duration;

/// The attempt after which a temporarily failing message is marked failed: waits of 1, 5 and 30
/// minutes, 2 hours, then 8 times 6 hours, about 50 hours in all.
pub const MAX_ATTEMPTS: u32 = 13;

/// The wait after failed attempt number `attempts` (1 for the first), or `None` to give up.
pub fn backoff(attempts: u32) -> Option<Duration> {
    match attempts {
        0 | 1 => Some(Duration::minutes(1)),
        2 => Some(Duration::minutes(5)),
        3 => Some(Duration::minutes(30)),
        4 => Some(Duration::hours(2)),
        n if n < MAX_ATTEMPTS => Some(Duration::hours(6)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_grow_and_stop_after_about_two_days() {
        assert_eq!(backoff(1), Some(Duration::minutes(1)));
        assert_eq!(backoff(4), Some(Duration::hours(2)));
        let total: Duration = (1..MAX_ATTEMPTS).filter_map(backoff).sum();
        assert!(total > Duration::hours(44) && total < Duration::hours(56), "{total}");
        assert_eq!(backoff(MAX_ATTEMPTS), None);
    }
}
