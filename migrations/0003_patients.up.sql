-- Patients: patient accounts (an address is unique per practice, not
-- globally), the practices' settings, a minimal consultation record that the
-- consultation capability extends, guest invitations with a TAN, and guest
-- sessions bound to an invitation. Tenant tables get row-level security as in
-- 0001 (docs/tenancy.md). The whole file runs as one implicit transaction.

-- Accounts: patients have logins too. Their address is unique only within
-- their practice (patients_email_unique below); staff and platform addresses
-- stay unique among themselves.
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('staff', 'platform', 'patient'));
ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;
CREATE UNIQUE INDEX accounts_email_staff_key ON accounts (email) WHERE kind <> 'patient';

ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check
    CHECK (purpose IN ('signup', 'password_reset', 'staff_invite', 'patient_confirm'));

-- Lets tenant tables reference a member of their own practice only.
ALTER TABLE staff_members ADD CONSTRAINT staff_members_practice_id_id_key UNIQUE (practice_id, id);

CREATE TABLE patients (
    id                          uuid        PRIMARY KEY,
    practice_id                 uuid        NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
    -- Deleting the account deletes the patient: nothing personal stays.
    account_id                  uuid        NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    username                    text        NOT NULL CHECK (username = lower(username) AND username <> ''),
    -- The account's address, kept here for the per-practice uniqueness.
    email                       text        NOT NULL CHECK (email = lower(email) AND email <> ''),
    name                        text        NOT NULL,
    state                       text        NOT NULL CHECK (state IN ('pending', 'active', 'deactivated')),
    origin                      text        NOT NULL CHECK (origin IN ('practice', 'self')),
    must_change_password        boolean     NOT NULL,
    initial_password_expires_at timestamptz,
    -- The consent text version a self-registered patient accepted; 0 = none.
    consent_version             integer     NOT NULL DEFAULT 0 CHECK (consent_version >= 0),
    consent_at                  timestamptz,
    created_at                  timestamptz NOT NULL,
    CONSTRAINT patients_username_unique UNIQUE (practice_id, username),
    CONSTRAINT patients_email_unique UNIQUE (practice_id, email)
);

-- The patient list is ordered by name; the sweep looks for old pending
-- self-registrations.
CREATE INDEX patients_practice_name_idx ON patients (practice_id, lower(name));
CREATE INDEX patients_pending_idx ON patients (created_at) WHERE state = 'pending';

CREATE TABLE practice_settings (
    practice_id       uuid        PRIMARY KEY REFERENCES practices (id) ON DELETE CASCADE,
    registration_open boolean     NOT NULL,
    consent_text      text        NOT NULL,
    consent_version   integer     NOT NULL CHECK (consent_version >= 1),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- The record a consultation needs to exist; the consultation capability
-- adds states, participants and the waiting room.
CREATE TABLE consultations (
    id              uuid        PRIMARY KEY,
    practice_id     uuid        NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
    practitioner_id uuid        NOT NULL,
    planned_start   timestamptz NOT NULL,
    planned_seconds integer     NOT NULL CHECK (planned_seconds > 0),
    state           text        NOT NULL CHECK (state IN ('scheduled')),
    created_at      timestamptz NOT NULL,
    -- The practitioner is a member of the same practice.
    CONSTRAINT consultations_practitioner_fkey FOREIGN KEY (practice_id, practitioner_id)
        REFERENCES staff_members (practice_id, id),
    CONSTRAINT consultations_practice_id_id_key UNIQUE (practice_id, id)
);

CREATE INDEX consultations_practice_start_idx ON consultations (practice_id, planned_start);
CREATE INDEX consultations_practitioner_idx ON consultations (practitioner_id);

-- Guest invitations: only hashes of the link secret and the TAN are stored.
CREATE TABLE invitations (
    id              uuid        PRIMARY KEY,
    practice_id     uuid        NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
    consultation_id uuid        NOT NULL,
    email           text        NOT NULL CHECK (email = lower(email)),
    name            text        NOT NULL DEFAULT '',
    link_hash       text        NOT NULL UNIQUE,
    tan_hash        text        NOT NULL,
    failures        integer     NOT NULL DEFAULT 0 CHECK (failures >= 0),
    used_at         timestamptz,
    created_at      timestamptz NOT NULL,
    -- The consultation is one of the same practice.
    CONSTRAINT invitations_consultation_fkey FOREIGN KEY (practice_id, consultation_id)
        REFERENCES consultations (practice_id, id) ON DELETE CASCADE
);

CREATE INDEX invitations_consultation_idx ON invitations (consultation_id);

-- A session belongs to an account or, for a guest admitted with a TAN, to
-- an invitation: exactly one of the two.
ALTER TABLE sessions ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE sessions ADD COLUMN guest_invitation_id uuid REFERENCES invitations (id) ON DELETE CASCADE;
ALTER TABLE sessions ADD CONSTRAINT sessions_one_owner_check
    CHECK ((account_id IS NULL) <> (guest_invitation_id IS NULL));
CREATE INDEX sessions_guest_invitation_id_idx ON sessions (guest_invitation_id);

-- The default privileges of 0001 cover tables made by the role that ran it;
-- the explicit grant also covers a migration run by another owner role.
GRANT SELECT, INSERT, UPDATE, DELETE ON patients, practice_settings, consultations, invitations TO visite_tenant;

ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
CREATE POLICY patients_tenant ON patients
    USING (practice_id::text = current_setting('visite.practice_id', true));

ALTER TABLE practice_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_settings_tenant ON practice_settings
    USING (practice_id::text = current_setting('visite.practice_id', true));

ALTER TABLE consultations ENABLE ROW LEVEL SECURITY;
CREATE POLICY consultations_tenant ON consultations
    USING (practice_id::text = current_setting('visite.practice_id', true));

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations
    USING (practice_id::text = current_setting('visite.practice_id', true));
