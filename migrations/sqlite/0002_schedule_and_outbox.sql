-- Rounds opened by a job, the scheduler's memory, and the outbox.

-- A job's round is identified by its job, the scheduled moment that opened it and, for jobs with
-- per = "wijk", the wijk: the unique index is what makes opening a round idempotent across ticks,
-- restarts and instances. Rounds opened by hand have no job (NULLs never collide).
ALTER TABLE rounds ADD COLUMN job_id TEXT;
ALTER TABLE rounds ADD COLUMN occurrence TEXT;
ALTER TABLE rounds ADD COLUMN part TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX rounds_job_occurrence ON rounds(job_id, occurrence, part);

-- The first moment the scheduler knew a job: occurrences before it are not caught up, so a new
-- job does not open rounds for its whole past.
CREATE TABLE job_state (
    job_id TEXT PRIMARY KEY,
    since TEXT NOT NULL
);

-- One row per e-mail, written in the transaction that caused it. dedupe_key makes queueing
-- idempotent ('invitation:<invitation id>', 'reminder:<invitation id>:<n>', ...).
-- status: pending -> sending (claimed until claimed_until) -> sent | failed | cancelled.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    round_id INTEGER REFERENCES rounds(id),
    invitation_id INTEGER REFERENCES invitations(id),
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at TEXT NOT NULL,
    claimed_until TEXT,
    message_id TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(status, due_at);
CREATE INDEX outbox_round ON outbox(round_id);
