-- Undoes 0005_consultations. What the older schema cannot hold goes: the
-- invitations of extra participants (with their guest sessions, by cascade)
-- and every consultation that left the state "scheduled" (with its
-- invitations and their sessions).

DELETE FROM invitations WHERE role <> 'guest';
ALTER TABLE invitations DROP COLUMN role;

DELETE FROM consultations WHERE state <> 'scheduled';

DROP INDEX consultations_over_idx;
DROP INDEX consultations_missed_idx;
DROP INDEX consultations_patient_start_idx;
CREATE INDEX consultations_practitioner_idx ON consultations (practitioner_id);
DROP INDEX consultations_practitioner_start_idx;

ALTER TABLE consultations
    DROP CONSTRAINT consultations_patient_fkey,
    DROP CONSTRAINT consultations_over_at_check,
    DROP COLUMN planned_end,
    DROP COLUMN patient_id,
    DROP COLUMN participant_count,
    DROP COLUMN cancelled_at,
    DROP COLUMN ended_at,
    DROP COLUMN started_at,
    DROP COLUMN note,
    DROP CONSTRAINT consultations_state_check,
    ADD CONSTRAINT consultations_state_check CHECK (state IN ('scheduled'));

DROP FUNCTION consultation_planned_end(timestamptz, integer);

ALTER TABLE patients DROP CONSTRAINT patients_practice_id_id_key;
