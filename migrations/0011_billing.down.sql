-- Undoes 0011_billing: the synced subscriptions and the handled event ids.
DROP TABLE stripe_events;
DROP TABLE practice_billing;
