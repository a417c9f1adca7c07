-- Retention (issue 26): what the daily run did, what an expired link still needs to say why it
-- stopped working, and the counts of invited people that outlive their invitations.

-- One row per run. The daily run claims its day (Europe/Amsterdam) with an insert that only one
-- instance wins; a run by hand (/beheer/bewaartermijnen, `peil retention`) has no day. `report`
-- is JSON with counts only, never what was removed.
CREATE TABLE retention_runs (
    id INTEGER PRIMARY KEY,
    day TEXT UNIQUE,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    report TEXT NOT NULL DEFAULT ''
);

-- A personal link past its term: only the SHA-256 of its token and its round, so that opening
-- it says the term has passed instead of "this link does not work". Nothing names the person.
CREATE TABLE expired_links (
    token_hash TEXT PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    expired_on TEXT NOT NULL
);

-- Invitations removed at their term, counted per (wijk, role) of their round first, so that the
-- round's response rates and its job's trends read the same afterwards.
CREATE TABLE round_tallies (
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    wijk TEXT NOT NULL,
    role TEXT NOT NULL,
    invited INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    PRIMARY KEY (round_id, wijk, role)
);
