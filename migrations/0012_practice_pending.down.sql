-- Practices that never paid have no contract; they end as cancelled.
UPDATE practices SET state = 'cancelled' WHERE state = 'pending';
ALTER TABLE practices DROP CONSTRAINT practices_state_check;
ALTER TABLE practices
    ADD CONSTRAINT practices_state_check
        CHECK (state IN ('trial', 'active', 'past_due', 'suspended', 'cancelled'));
