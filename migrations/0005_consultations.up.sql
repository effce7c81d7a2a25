-- Consultations (issue 4): the state machine's states, the note to the
-- patient, the metadata kept until the retention period ends (started,
-- ended, cancelled, participant count), the registered patient, and the
-- invitations' roles. docs/retention.md says what is kept and for how long.
-- The whole file runs as one implicit transaction.

-- Lets consultations reference a patient of their own practice only.
ALTER TABLE patients ADD CONSTRAINT patients_practice_id_id_key UNIQUE (practice_id, id);

-- The planned end as an immutable expression, so that it can be a stored
-- generated column. Adding a number of seconds (an interval without days or
-- months) to a timestamptz does not depend on the time zone setting, which
-- is why PostgreSQL's stable "+" may be wrapped as immutable here.
CREATE FUNCTION consultation_planned_end(planned_start timestamptz, planned_seconds integer)
    RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN planned_start + planned_seconds * interval '1 second';

ALTER TABLE consultations DROP CONSTRAINT consultations_state_check;
ALTER TABLE consultations
    ADD CONSTRAINT consultations_state_check
        CHECK (state IN ('scheduled', 'waiting', 'in_call', 'ended', 'cancelled', 'no_show')),
    ADD COLUMN note              text        NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
    ADD COLUMN started_at        timestamptz,
    ADD COLUMN ended_at          timestamptz,
    ADD COLUMN cancelled_at      timestamptz,
    ADD COLUMN participant_count integer     NOT NULL DEFAULT 0 CHECK (participant_count >= 0),
    ADD COLUMN patient_id        uuid,
    ADD COLUMN planned_end       timestamptz NOT NULL
        GENERATED ALWAYS AS (consultation_planned_end(planned_start, planned_seconds)) STORED,
    -- A final consultation always has the moment it became final, so the
    -- retention sweep (which keys on it) can never overlook one.
    ADD CONSTRAINT consultations_over_at_check CHECK (
        (state = 'ended') = (ended_at IS NOT NULL)
        AND (state IN ('cancelled', 'no_show')) = (cancelled_at IS NOT NULL)),
    -- The patient is one of the same practice. Erasing the patient keeps the
    -- consultation's metadata without them: only patient_id is cleared (the
    -- practice_id of the key is NOT NULL and stays).
    ADD CONSTRAINT consultations_patient_fkey FOREIGN KEY (practice_id, patient_id)
        REFERENCES patients (practice_id, id) ON DELETE SET NULL (patient_id);

-- Day and week views, overlap checks and the practitioner's foreign key;
-- it covers the index on practitioner_id alone.
CREATE INDEX consultations_practitioner_start_idx ON consultations (practice_id, practitioner_id, planned_start);
DROP INDEX consultations_practitioner_idx;
-- A patient's own consultations, and clearing the patient when erased.
CREATE INDEX consultations_patient_start_idx ON consultations (practice_id, patient_id, planned_start)
    WHERE patient_id IS NOT NULL;
-- The automatic no-show: open consultations whose planned end has passed.
CREATE INDEX consultations_missed_idx ON consultations (planned_end)
    WHERE state IN ('scheduled', 'waiting');
-- The retention sweep: final consultations by the moment they became final.
CREATE INDEX consultations_over_idx ON consultations ((coalesce(ended_at, cancelled_at)))
    WHERE state IN ('ended', 'cancelled', 'no_show');

-- Why an invited person takes part: the guest takes the patient's place
-- without an account; the others join besides the patient.
ALTER TABLE invitations
    ADD COLUMN role text NOT NULL DEFAULT 'guest' CHECK (role IN ('guest', 'interpreter', 'relative', 'care'));
