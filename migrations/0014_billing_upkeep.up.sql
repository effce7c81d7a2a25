-- Billing upkeep (issue 6): the Stripe Price of each version of the price
-- book, and indexes for the daily deletion sweeps (docs/billing.md, "Upkeep
-- jobs"). The whole file runs as one implicit transaction.

-- The Stripe Price made for the version's lookup key; null until the job
-- after UpdatePrice (or the nightly reconcile) has made it. A lookup key
-- names one Price for ever, so each id belongs to one version.
ALTER TABLE price_book ADD COLUMN stripe_price_id text CHECK (stripe_price_id <> '');
CREATE UNIQUE INDEX price_book_stripe_price_idx ON price_book (stripe_price_id)
    WHERE stripe_price_id IS NOT NULL;

-- The sweep deleting practices that never paid, by age.
CREATE INDEX practices_pending_idx ON practices (created_at) WHERE state = 'pending';

-- The sweep deleting won and lost leads a year after they were closed.
CREATE INDEX leads_closed_idx ON leads (state, state_changed_at) WHERE state IN ('won', 'lost');
