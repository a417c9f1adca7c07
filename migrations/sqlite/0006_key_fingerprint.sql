-- Which secret key this database is used with: an HMAC under the key (never the key itself), so
-- that an instance started with another key refuses to start instead of handing out personal
-- links and session cookies that the other instances cannot read. One row at most.
CREATE TABLE key_fingerprint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
