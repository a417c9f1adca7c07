-- How often a round's stored responses were changed or removed (issue 27): the results keep a
-- round's tally in memory (`results::kept`) and compare this count, with the number of the
-- round's responses, before using it. An insert changes the number; a delete or an update (an
-- erasure, a retention term, a pool release's rewrite, an edited answer) counts here. Triggers,
-- so that no writer, present or future, can forget it; none on INSERT, which is the answer path.
CREATE TABLE round_changes (
    round_id INTEGER PRIMARY KEY,      -- no foreign key: the count outlives nothing it describes
    changes INTEGER NOT NULL
);

CREATE TRIGGER responses_deleted_change_their_round AFTER DELETE ON responses
BEGIN
    INSERT INTO round_changes (round_id, changes) VALUES (OLD.round_id, 1)
    ON CONFLICT (round_id) DO UPDATE SET changes = changes + 1;
END;

CREATE TRIGGER responses_updated_change_their_round AFTER UPDATE ON responses
BEGIN
    INSERT INTO round_changes (round_id, changes) VALUES (OLD.round_id, 1)
    ON CONFLICT (round_id) DO UPDATE SET changes = changes + 1;
END;
