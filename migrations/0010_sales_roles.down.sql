DELETE FROM casbin_rule WHERE ptype = 'p' AND v2 = 'leads';
