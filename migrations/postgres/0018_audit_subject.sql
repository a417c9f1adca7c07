-- What NEN 7513 asks of an access log beside what, when and who (issue 26): whose data, on whose
-- behalf and via what. `subject_contact` is a contact's id, not a name or address, so an entry
-- says whose data was read without holding any of it, and outlives that person's erasure (no
-- foreign key). `subject` describes whose data in words without names ("ronde 12: 18 personen");
-- `on_behalf` is the capacity the actor acted in ("beheerder", "werkgroep"); `via` is how
-- ("web 192.0.2.7", "cli"). NULL in rows written before this migration: then it is not known.
ALTER TABLE audit_log ADD COLUMN subject_contact BIGINT;
ALTER TABLE audit_log ADD COLUMN subject TEXT;
ALTER TABLE audit_log ADD COLUMN on_behalf TEXT;
ALTER TABLE audit_log ADD COLUMN via TEXT;
CREATE INDEX audit_log_subject_contact ON audit_log(subject_contact);
