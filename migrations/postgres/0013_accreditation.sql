-- Accreditation (issue 24): what registers need of a person, remembered on the contact for the
-- next sign-up; which registers a round's activity counts for; certificates of attendance; and
-- when the organiser entered a session's attendance in a register.

-- As the registers know the person: KOH and SHK want voorletters, not a first name. The BIG
-- number is 11 digits or empty (GAIA pads shorter ones with leading zeros), kept as text.
ALTER TABLE contacts ADD COLUMN initials TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN surname TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN big_number TEXT NOT NULL DEFAULT '';

-- A person's number at a beroepsorganisatie or kwaliteitsregister (the lidnummer of the
-- Kwaliteitsregister POH-GGZ, say), by the register's id in job files.
CREATE TABLE register_numbers (
    contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    register TEXT NOT NULL,
    number TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (contact_id, register)
);

-- The registers the job declared when the round opened (JSON, accreditation::Register), so a
-- later change to the job file does not change what a past session asked or owes.
ALTER TABLE rounds ADD COLUMN accreditation_json TEXT NOT NULL DEFAULT '[]';

-- Accreditation points the job gives a session (0: none stated).
ALTER TABLE sessions ADD COLUMN points DOUBLE PRECISION NOT NULL DEFAULT 0;

-- A bewijs van deelname as issued: `content` (JSON) is exactly what the PDF shows, so checking
-- the code confirms that and no more, even after the contact changed. Unticking attendance
-- withdraws it.
CREATE TABLE certificates (
    code TEXT PRIMARY KEY,
    seat_id BIGINT NOT NULL UNIQUE REFERENCES seats(id),
    content TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    withdrawn_at TEXT
);

-- The organiser's mark that a session's attendance was entered in a register (GAIA, PE-online);
-- until then /beheer shows the deadline.
CREATE TABLE register_entries (
    session_id BIGINT NOT NULL REFERENCES sessions(id),
    register TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    PRIMARY KEY (session_id, register)
);
