-- Accounts: login sessions, failed logins for rate limiting, one-time password links, and the
-- audit log. Every token is stored as its SHA-256 only, so a copy of the database opens nothing.

-- A browser's login. The cookie holds the token; `csrf_token` is the synchronizer token its forms
-- must carry (useless without the cookie, hence kept as is). Idle and absolute expiry are
-- computed from the two timestamps; see accounts::session.
CREATE TABLE login_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX login_sessions_user ON login_sessions(user_id);

-- Failed logins only, by the e-mail address as typed (lower-cased) and the client's address. In
-- the database rather than in memory so that several instances share one count.
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts(email, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);
CREATE INDEX login_attempts_at ON login_attempts(at);

-- `/wachtwoord/<token>`: set (or reset) a user's password once.
CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
CREATE INDEX password_links_user ON password_links(user_id);

-- Who did what, when. `actor` is the e-mail of the user (or the address typed at a failed login);
-- NULL for the command line. `detail` never holds answers, passwords or tokens.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
