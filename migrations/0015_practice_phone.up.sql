-- The telephone number a practice shows its patients (empty: none), which
-- the owner edits with the practice's name and address.
ALTER TABLE practices ADD COLUMN phone text NOT NULL DEFAULT '';
