-- Undoes 0009_sales: every lead and note.
DROP TABLE lead_notes;
DROP TABLE leads;
