-- Individual offers (issue 6, item 7): the sales team's offers for a lead
-- or an existing practice, with their terms, validity and state
-- (docs/billing.md, "Offers"). The whole file runs as one implicit
-- transaction.
--
-- Like leads, offers belong to the platform: no row-level security, and
-- the practice role (visite_tenant) has no privilege on them. The link's
-- secret is kept only as its SHA-256 hash.
CREATE TABLE offers (
    id               uuid        PRIMARY KEY,
    -- A lead's offer outlives the lead's deletion (its recipient is copied
    -- below); an accepted offer lives as long as its practice.
    lead_id          uuid        REFERENCES leads (id) ON DELETE SET NULL,
    practice_id      uuid        REFERENCES practices (id) ON DELETE CASCADE,
    for_lead         boolean     NOT NULL,
    recipient_name   text        NOT NULL CHECK (char_length(recipient_name) <= 120),
    recipient_email  text        NOT NULL CHECK (recipient_email = lower(recipient_email) AND char_length(recipient_email) <= 254),
    practice_name    text        NOT NULL CHECK (char_length(practice_name) <= 120),
    lang             text        NOT NULL CHECK (lang IN ('de', 'en')),
    practice_type    text        NOT NULL CHECK (practice_type IN ('single', 'group', 'clinic', 'therapy')),
    seats            integer     NOT NULL CHECK (seats BETWEEN 1 AND 10000),
    billing_interval text        NOT NULL CHECK (billing_interval IN ('monthly', 'yearly')),
    list_net_cents   bigint      NOT NULL CHECK (list_net_cents >= 0),
    discount_percent integer     NOT NULL CHECK (discount_percent BETWEEN 0 AND 90),
    unit_net_cents   bigint      NOT NULL CHECK (unit_net_cents BETWEEN 0 AND 1000000),
    trial_days       integer     NOT NULL CHECK (trial_days BETWEEN 0 AND 90),
    payment          text        NOT NULL CHECK (payment IN ('checkout', 'invoice')),
    days_until_due   integer     NOT NULL CHECK (days_until_due = 0 OR days_until_due BETWEEN 7 AND 60),
    valid_until      timestamptz NOT NULL,
    state            text        NOT NULL CHECK (state IN ('open', 'accepted', 'withdrawn')),
    token_hash       text        NOT NULL UNIQUE,
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL,
    closed_at        timestamptz,
    -- The practice that accepted: the offer's practice, or the one a
    -- lead's acceptance made.
    accepted_by      uuid        REFERENCES practices (id) ON DELETE CASCADE,
    CHECK (for_lead = (practice_id IS NULL)),
    CHECK ((state = 'accepted') = (accepted_by IS NOT NULL)),
    CHECK ((state = 'open') = (closed_at IS NULL))
);

CREATE INDEX offers_lead_idx ON offers (lead_id, created_at DESC);
CREATE INDEX offers_practice_idx ON offers (practice_id, created_at DESC);
CREATE INDEX offers_accepted_idx ON offers (accepted_by, closed_at DESC);

REVOKE ALL ON offers FROM visite_tenant;

INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES
    ('p', 'platform-admin', 'platform', 'offers', 'manage'),
    ('p', 'sales',          'platform', 'offers', 'manage');
