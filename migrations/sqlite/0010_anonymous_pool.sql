-- Anonymous submissions wait here, sealed under the secret key, until at least min_group_size of
-- them can be released into `responses` together in random order (see responses::pool). One row
-- per round, rewritten whole (re-sealed with a fresh nonce) on every submission.
CREATE TABLE anonymous_pool (
    round_id INTEGER PRIMARY KEY REFERENCES rounds(id),
    sealed TEXT NOT NULL
);
