-- Foundation: practices (the tenants), accounts, staff memberships, pending
-- sign-ups, single-use tokens and server-side sessions, with row-level
-- security on the tenant tables as the second line of tenant isolation
-- (docs/tenancy.md). The whole file runs as one implicit transaction.

CREATE TABLE practices (
    id            uuid        PRIMARY KEY,
    slug          text        NOT NULL UNIQUE
                              CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 3 AND 50),
    name          text        NOT NULL CHECK (length(name) BETWEEN 2 AND 120),
    practice_type text        NOT NULL CHECK (practice_type IN ('single', 'group', 'clinic', 'therapy')),
    street        text        NOT NULL,
    postal_code   text        NOT NULL,
    city          text        NOT NULL,
    country       text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    state         text        NOT NULL CHECK (state IN ('trial', 'active', 'past_due', 'suspended', 'cancelled')),
    practitioners integer     NOT NULL CHECK (practitioners >= 1),
    -- The versions of the terms of use and the data processing agreement the
    -- owner accepted at sign-up; null for practices made otherwise.
    terms_version text,
    dpa_version   text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id                  uuid        PRIMARY KEY,
    kind                text        NOT NULL CHECK (kind IN ('staff', 'platform')),
    -- The core stores addresses normalised; the check keeps lookups by
    -- equality correct.
    email               text        NOT NULL UNIQUE CHECK (email = lower(email)),
    password_hash       text        NOT NULL,
    lang                text        NOT NULL CHECK (lang IN ('de', 'en')),
    active              boolean     NOT NULL,
    created_at          timestamptz NOT NULL,
    password_changed_at timestamptz NOT NULL
);

CREATE TABLE staff_members (
    id           uuid        PRIMARY KEY,
    practice_id  uuid        NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
    -- One membership per account: an account works in one practice.
    account_id   uuid        NOT NULL UNIQUE REFERENCES accounts (id),
    role         text        NOT NULL CHECK (role IN ('owner', 'practitioner', 'assistant')),
    title        text        NOT NULL DEFAULT '',
    display_name text        NOT NULL,
    specialty    text        NOT NULL DEFAULT '',
    state        text        NOT NULL CHECK (state IN ('invited', 'active', 'deactivated')),
    created_at   timestamptz NOT NULL
);

CREATE INDEX staff_members_practice_id_idx ON staff_members (practice_id);

-- Pending sign-ups hold nothing but the checked form until the owner confirms.
CREATE TABLE signups (
    id              uuid        PRIMARY KEY,
    practice_name   text        NOT NULL,
    practice_type   text        NOT NULL CHECK (practice_type IN ('single', 'group', 'clinic', 'therapy')),
    practitioners   integer     NOT NULL CHECK (practitioners >= 1),
    street          text        NOT NULL,
    postal_code     text        NOT NULL,
    city            text        NOT NULL,
    country         text        NOT NULL,
    owner_title     text        NOT NULL DEFAULT '',
    owner_name      text        NOT NULL,
    owner_specialty text        NOT NULL DEFAULT '',
    email           text        NOT NULL CHECK (email = lower(email)),
    password_hash   text        NOT NULL,
    terms_version   text        NOT NULL,
    dpa_version     text        NOT NULL,
    lang            text        NOT NULL CHECK (lang IN ('de', 'en')),
    created_at      timestamptz NOT NULL
);

-- For the sweep that deletes expired sign-ups.
CREATE INDEX signups_created_at_idx ON signups (created_at);

CREATE TABLE tokens (
    hash       text        PRIMARY KEY,
    purpose    text        NOT NULL CHECK (purpose IN ('signup', 'password_reset', 'staff_invite')),
    subject    text        NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tokens_purpose_subject_idx ON tokens (purpose, subject);

CREATE TABLE sessions (
    hash         text        PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);

CREATE INDEX sessions_account_id_idx ON sessions (account_id);

-- visite_tenant is the role a unit of work switches to (SET LOCAL ROLE) for
-- work inside one practice; the application's login role must be a member.
-- Roles are cluster-wide: many databases share it, and several migrations
-- may race to create it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'visite_tenant') THEN
        CREATE ROLE visite_tenant NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO visite_tenant;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO visite_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO visite_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO visite_tenant;

-- Row-level security: the table owner is exempt; visite_tenant sees and
-- writes only the rows of the practice named by the transaction setting
-- visite.practice_id. Unset (null or '') matches nothing.
ALTER TABLE practices ENABLE ROW LEVEL SECURITY;
CREATE POLICY practices_tenant ON practices
    USING (id::text = current_setting('visite.practice_id', true));

ALTER TABLE staff_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_members_tenant ON staff_members
    USING (practice_id::text = current_setting('visite.practice_id', true));
