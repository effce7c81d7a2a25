-- Undoes 0014_billing_upkeep: the recorded Stripe Price ids are lost.
DROP INDEX IF EXISTS leads_closed_idx;
DROP INDEX IF EXISTS practices_pending_idx;
DROP INDEX IF EXISTS price_book_stripe_price_idx;
ALTER TABLE price_book DROP COLUMN IF EXISTS stripe_price_id;
