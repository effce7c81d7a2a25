-- Undoes 0003_patients. Guest sessions, patient accounts and patient
-- confirmation tokens go, since the restored constraints do not allow them.

DELETE FROM sessions WHERE guest_invitation_id IS NOT NULL;
DROP INDEX IF EXISTS sessions_guest_invitation_id_idx;
ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_one_owner_check;
ALTER TABLE sessions DROP COLUMN IF EXISTS guest_invitation_id;
ALTER TABLE sessions ALTER COLUMN account_id SET NOT NULL;

DROP TABLE IF EXISTS invitations;
DROP TABLE IF EXISTS consultations;
DROP TABLE IF EXISTS practice_settings;
DROP TABLE IF EXISTS patients;

ALTER TABLE staff_members DROP CONSTRAINT IF EXISTS staff_members_practice_id_id_key;

DELETE FROM tokens WHERE purpose = 'patient_confirm';
ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check
    CHECK (purpose IN ('signup', 'password_reset', 'staff_invite'));

-- Their sessions go with them (ON DELETE CASCADE).
DELETE FROM accounts WHERE kind = 'patient';
DROP INDEX IF EXISTS accounts_email_staff_key;
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('staff', 'platform'));
