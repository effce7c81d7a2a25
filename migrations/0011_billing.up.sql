-- Billing, fourth slice (issue 6, items 5 and 6): each practice's
-- subscription as last synced from Stripe, and the ids of the Stripe
-- webhook events already handled (docs/billing.md, "Webhooks and access").
-- The whole file runs as one implicit transaction.

-- One row per practice that has a subscription; a practice without one
-- (trial activation) is not governed by billing at all. Tenant data, with
-- row-level security like the other tenant tables (0001, 0003).
CREATE TABLE practice_billing (
    practice_id      uuid        PRIMARY KEY REFERENCES practices (id) ON DELETE CASCADE,
    customer_id      text        NOT NULL DEFAULT '',
    subscription_id  text        NOT NULL DEFAULT '',
    status           text        NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled',
                                                            'unpaid', 'incomplete', 'incomplete_expired', 'paused')),
    -- Paid seats: the subscription's quantity of practitioners.
    seats            integer     NOT NULL CHECK (seats >= 0),
    price_lookup_key text        NOT NULL DEFAULT '',
    period_end       timestamptz,
    trial_end        timestamptz,
    -- When the subscription ends because it was cancelled; null while it renews.
    cancel_at        timestamptz,
    -- The first report of past_due: the grace period counts from here.
    past_due_since   timestamptz CHECK ((status = 'past_due') = (past_due_since IS NOT NULL)),
    updated_at       timestamptz NOT NULL
);

-- Webhooks that name no practice find it by the Stripe customer.
CREATE INDEX practice_billing_customer_idx ON practice_billing (customer_id) WHERE customer_id <> '';

GRANT SELECT, INSERT, UPDATE, DELETE ON practice_billing TO visite_tenant;
ALTER TABLE practice_billing ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_billing_tenant ON practice_billing
    USING (practice_id::text = current_setting('visite.practice_id', true));

-- Every Stripe event handled, by id: a redelivery finds its id here and has
-- no second effect. Platform-wide, like the price book: no practice_id and
-- no policy; the practice role needs no access at all.
CREATE TABLE stripe_events (
    id          text        PRIMARY KEY CHECK (id <> ''),
    -- Stripe's event type, for the log (checkout.session.completed …).
    type        text        NOT NULL,
    received_at timestamptz NOT NULL
);

REVOKE ALL ON stripe_events FROM visite_tenant;
