-- The place of a new waiting seat, counted inside the one statement that takes a seat on
-- PostgreSQL (`signup::seats::take`). That statement waits for the session row's lock after its
-- snapshot was taken, so a count in the statement itself would miss the seats that others
-- committed while it waited; a VOLATILE function reads with a snapshot of its own, taken when it
-- is called, after the lock is held. Counts the waiting seats before `below_seat`.
CREATE FUNCTION waiting_before(of_session BIGINT, below_seat BIGINT) RETURNS BIGINT
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RETURN (SELECT COUNT(*) FROM seats
            WHERE session_id = of_session AND status = 'waiting' AND id < below_seat);
END
$$;
