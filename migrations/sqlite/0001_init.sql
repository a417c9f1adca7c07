-- peil's first schema. Types are kept to INTEGER/TEXT so the sqlx Any driver reads them on
-- SQLite and PostgreSQL alike; timestamps are RFC 3339 UTC text ("2026-11-23T07:01:32Z"), which
-- sorts and compares correctly as text.

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,        -- lower-cased
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    practice TEXT NOT NULL DEFAULT '',
    wijk TEXT NOT NULL DEFAULT '',
    gemeente TEXT NOT NULL DEFAULT '',
    opted_out INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    form_id TEXT NOT NULL,
    form_json TEXT NOT NULL,           -- the checked form as it was when the round opened
    title TEXT NOT NULL,
    anonymous INTEGER NOT NULL,
    audience TEXT NOT NULL,            -- human-readable description of who was invited
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    nonce TEXT NOT NULL,               -- the link is HMAC(secret key, nonce); see rounds::token
    token_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the link token, for look-up
    role TEXT NOT NULL,                -- snapshot of the contact at invitation time
    wijk TEXT NOT NULL,
    answered INTEGER NOT NULL DEFAULT 0, -- no time kept: anonymous rounds must stay unlinkable
    created_at TEXT NOT NULL,
    UNIQUE (round_id, contact_id)
);
CREATE INDEX invitations_round ON invitations(round_id);

CREATE TABLE drafts (
    invitation_id INTEGER PRIMARY KEY REFERENCES invitations(id),
    page INTEGER NOT NULL,
    answers TEXT NOT NULL,             -- JSON object, question id -> answer
    updated_at TEXT NOT NULL
);

CREATE TABLE responses (
    id TEXT PRIMARY KEY,               -- random, so row ids reveal no order
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    invitation_id INTEGER UNIQUE REFERENCES invitations(id), -- NULL in anonymous rounds
    answers TEXT NOT NULL,
    wijk TEXT,                         -- NULL where keeping it would single someone out
    role TEXT,
    submitted_on TEXT NOT NULL,        -- a day (YYYY-MM-DD) in anonymous rounds, else a timestamp
    updated_at TEXT
) WITHOUT ROWID;                       -- no hidden insertion counter that would order anonymous rows
CREATE INDEX responses_round ON responses(round_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
