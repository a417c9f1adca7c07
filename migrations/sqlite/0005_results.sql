-- The results pages count respondents per (wijk, role) of a round before anything else (the
-- privacy threshold's table); this index answers that without reading the answers themselves.
CREATE INDEX responses_round_groups ON responses(round_id, wijk, role);
