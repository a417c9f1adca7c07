-- Registrations on the open registration page, per client address, for its rate limit (issue 22).
-- Kept for the limit's window only; the address is stored as a keyed hash, never as typed.
CREATE TABLE registration_attempts (
    id INTEGER PRIMARY KEY,
    client TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX registration_attempts_client ON registration_attempts(client, at);
CREATE INDEX registration_attempts_at ON registration_attempts(at);
