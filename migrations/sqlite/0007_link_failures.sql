-- Personal links that matched nothing, per client address, for the rate limit on guessing.
-- Kept for the limit's window only; the address is stored as a keyed hash, never as typed.
CREATE TABLE link_failures (
    id INTEGER PRIMARY KEY,
    client TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX link_failures_client ON link_failures(client, at);
CREATE INDEX link_failures_at ON link_failures(at);
