-- Undoes 0013_offers: every offer and the permission to make them.
DELETE FROM casbin_rule WHERE ptype = 'p' AND v2 = 'offers' AND v3 = 'manage';
DROP TABLE offers;
