-- How often a round's stored responses were changed or removed (issue 27): the results keep a
-- round's tally in memory (`results::kept`) and compare this count, with the number of the
-- round's responses, before using it. An insert changes the number; a delete or an update (an
-- erasure, a retention term, a pool release's rewrite, an edited answer) counts here. Triggers,
-- so that no writer, present or future, can forget it; none on INSERT, which is the answer path.
--
-- Per statement, with the rows it touched, and at most once per transaction and round: a
-- retention run anonymises a round's responses one UPDATE at a time, and a row updated again and
-- again in one transaction grows a chain of versions that every later update walks.
CREATE TABLE round_changes (
    round_id BIGINT PRIMARY KEY,       -- no foreign key: the count outlives nothing it describes
    changes BIGINT NOT NULL,
    last_tx BIGINT NOT NULL            -- the transaction that counted last
);

CREATE FUNCTION count_round_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO round_changes (round_id, changes, last_tx)
    SELECT DISTINCT round_id, 1, txid_current() FROM touched
    ON CONFLICT (round_id) DO UPDATE SET changes = round_changes.changes + 1, last_tx = excluded.last_tx
    WHERE round_changes.last_tx <> excluded.last_tx;
    RETURN NULL;
END
$$;

CREATE TRIGGER responses_deleted_change_their_round AFTER DELETE ON responses
    REFERENCING OLD TABLE AS touched FOR EACH STATEMENT EXECUTE FUNCTION count_round_changes();

CREATE TRIGGER responses_updated_change_their_round AFTER UPDATE ON responses
    REFERENCING OLD TABLE AS touched FOR EACH STATEMENT EXECUTE FUNCTION count_round_changes();
