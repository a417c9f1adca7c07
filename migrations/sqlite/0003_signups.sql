-- Sign-ups: the sessions a round offers, the seats people hold in them, and open registration.

-- Sign-up rounds: how long before a session a seat can still be cancelled by its link, when the
-- day-before reminder goes out (both in seconds), and the public slug of an open registration
-- (`/f/<slug>`; NULL when only invited people can sign up).
ALTER TABLE rounds ADD COLUMN cancel_until_secs INTEGER NOT NULL DEFAULT 86400;
ALTER TABLE rounds ADD COLUMN remind_before_secs INTEGER NOT NULL DEFAULT 86400;
ALTER TABLE rounds ADD COLUMN slug TEXT;
CREATE UNIQUE INDEX rounds_slug ON rounds(slug);

-- People who signed up through an open registration are kept apart from the imported list:
-- they never become part of an audience, so registering for a training does not put anyone on
-- the organisation's survey list. Their invitation link is mailed to the address they gave, and
-- only a visit to that link can take a seat: that is the address's confirmation.
ALTER TABLE contacts ADD COLUMN self_registered INTEGER NOT NULL DEFAULT 0;

-- `taken` counts the confirmed seats. Taking a seat is one conditional update of this row
-- (`taken < capacity`); the CHECK is the database's own guarantee that no code path overbooks.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    code TEXT NOT NULL,                -- what a slot answer stores; stable within the round
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    leader TEXT NOT NULL DEFAULT '',
    activity_id TEXT NOT NULL DEFAULT '', -- accreditation (GAIA) id, for the attendance list
    capacity INTEGER NOT NULL,
    taken INTEGER NOT NULL DEFAULT 0,
    cancelled INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 0, -- the calendar SEQUENCE: raised on every change people are told of
    created_at TEXT NOT NULL,
    CHECK (capacity >= 0 AND taken >= 0 AND taken <= capacity),
    UNIQUE (round_id, code)
);

-- A seat's id is its place in the queue: the waiting list is ordered by it. Every change to a
-- session's seats first updates the session row, so they happen one after another.
CREATE TABLE seats (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    invitation_id INTEGER NOT NULL REFERENCES invitations(id),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
    attended INTEGER,                  -- NULL until the coordinator records it, then 1 or 0
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX seats_one_per_person ON seats(session_id, invitation_id) WHERE status <> 'cancelled';
CREATE INDEX seats_queue ON seats(session_id, status, id);
CREATE INDEX seats_invitation ON seats(invitation_id);

-- Mails about a seat name it; the worker builds the calendar file from it at send time.
ALTER TABLE outbox ADD COLUMN seat_id INTEGER REFERENCES seats(id);
