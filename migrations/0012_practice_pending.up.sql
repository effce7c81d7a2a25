-- A practice that signed up waits in state 'pending' until the payment
-- provider's webhook reports its subscription trialing or active.
ALTER TABLE practices DROP CONSTRAINT practices_state_check;
ALTER TABLE practices
    ADD CONSTRAINT practices_state_check
        CHECK (state IN ('pending', 'trial', 'active', 'past_due', 'suspended', 'cancelled'));
