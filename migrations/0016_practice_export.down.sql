DELETE FROM casbin_rule WHERE ptype = 'p' AND v0 = 'owner' AND v2 = 'practice' AND v3 = 'export';
