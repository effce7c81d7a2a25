-- Sales leads (issue 6, item 7): practices that asked for an individual
-- offer through the public contact form, with the sales team's short notes
-- (docs/billing.md). The whole file runs as one implicit transaction.
--
-- Leads belong to the platform, not to a practice: they have no
-- practice_id and no row-level security policy, because a prospect is
-- nobody's tenant data yet. They are personal data of prospects, though,
-- and no practice ever needs them, so the practice role (visite_tenant)
-- gets no privilege on them at all — the default privileges of 0001 would
-- grant it everything, hence the REVOKE below.

CREATE TABLE leads (
    id               uuid        PRIMARY KEY,
    practice_name    text        NOT NULL CHECK (char_length(practice_name) BETWEEN 2 AND 120),
    contact_name     text        NOT NULL CHECK (char_length(contact_name) BETWEEN 2 AND 100),
    email            text        NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
    phone            text        NOT NULL DEFAULT '' CHECK (char_length(phone) <= 30),
    practice_type    text        NOT NULL CHECK (practice_type IN ('single', 'group', 'clinic', 'therapy')),
    practitioners    integer     NOT NULL CHECK (practitioners BETWEEN 1 AND 10000),
    message          text        NOT NULL DEFAULT '' CHECK (char_length(message) <= 2000),
    lang             text        NOT NULL CHECK (lang IN ('de', 'en')),
    state            text        NOT NULL CHECK (state IN ('new', 'contacted', 'offer_sent', 'won', 'lost')),
    -- When the lead came into its state: the retention of lost leads
    -- counts from here.
    state_changed_at timestamptz NOT NULL,
    -- The contact consented to be contacted when the lead was made.
    created_at       timestamptz NOT NULL
);

CREATE INDEX leads_created_idx ON leads (created_at DESC, id);
CREATE INDEX leads_state_idx ON leads (state, created_at DESC);

-- Notes are never edited. The author's account id is kept without a
-- foreign key and the address as written, so a note outlives its author's
-- account.
CREATE TABLE lead_notes (
    id          uuid        PRIMARY KEY,
    lead_id     uuid        NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    author_id   uuid        NOT NULL,
    author_name text        NOT NULL,
    body        text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 1000),
    created_at  timestamptz NOT NULL
);

CREATE INDEX lead_notes_lead_idx ON lead_notes (lead_id, created_at);

REVOKE ALL ON leads, lead_notes FROM visite_tenant;
