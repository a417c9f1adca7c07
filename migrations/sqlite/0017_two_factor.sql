-- Two-step login (TOTP, RFC 6238) for staff accounts; see accounts::two_factor.

-- One row per account that has started or finished enrolling. The TOTP secret itself is not
-- stored: it is derived as HMAC-SHA256(secret key, nonce), so a copy of the database alone does
-- not give it away. `enabled_at` is NULL while the account is enrolling (secret shown, not yet
-- confirmed with a code). `last_step` is the last 30-second step whose code was accepted: a code
-- is accepted once.
CREATE TABLE two_factor (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    enabled_at TEXT,
    last_step INTEGER NOT NULL DEFAULT 0
);

-- Single-use recovery codes, as the SHA-256 of the code (random, 50 bits each, so a plain hash
-- is enough). `used_at` is set when one is used.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id, code_hash);

-- A correct password waiting for its second step: the browser holds a random token, the database
-- its SHA-256. It opens no page; it only lets `/inloggen/code` finish this login, for a few
-- minutes.
CREATE TABLE pending_logins (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX pending_logins_created ON pending_logins(created_at);
