-- The coordinator's rounds pages count each round's invitations (answered or not) and its mails
-- (waiting or failed). With these two indexes each count reads a range of one index and never
-- the table, so a page of rounds costs the same with 1,000 rounds behind it as with ten.
CREATE INDEX invitations_round_answered ON invitations(round_id, answered);
CREATE INDEX outbox_round_status ON outbox(round_id, status);
