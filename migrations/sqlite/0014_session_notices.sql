-- A coordinator's message to everyone on a session (a room change, say), issue 24. The text is
-- stored once; the outbox holds one row per seat that names it, so the worker renders each mail
-- from this row at send time and the dedupe key (seat and notice) never sends one twice.
CREATE TABLE session_notices (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 1: the waiting list is mailed too, not only the confirmed seats.
    with_waiting INTEGER NOT NULL DEFAULT 0,
    -- What the form sent along (a random value per form shown), so a second click of the same
    -- form finds the notice it made instead of making another.
    form_key TEXT NOT NULL UNIQUE,
    created_by TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX session_notices_session ON session_notices(session_id);

ALTER TABLE outbox ADD COLUMN notice_id INTEGER REFERENCES session_notices(id);
