-- Undoes 0015_practice_phone: the practices' telephone numbers are lost.
ALTER TABLE practices DROP COLUMN IF EXISTS phone;
