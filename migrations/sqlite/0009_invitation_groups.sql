-- An anonymous submission counts its round's invitations per wijk and role to decide which of
-- the two its response may keep; without these that count scanned every invitation of the round.
CREATE INDEX invitations_round_wijk_role ON invitations(round_id, wijk, role);
CREATE INDEX invitations_round_role ON invitations(round_id, role);
