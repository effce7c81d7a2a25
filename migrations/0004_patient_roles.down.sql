-- Removes the patient role's assignments and every permission 0004 added.
DELETE FROM casbin_rule WHERE ptype = 'g' AND v1 = 'patient';
DELETE FROM casbin_rule WHERE ptype = 'p' AND v1 = 'practice:*' AND (
       (v0 IN ('owner', 'practitioner', 'assistant') AND v2 IN ('patients', 'invitations', 'settings'))
    OR (v0 = 'patient' AND v2 IN ('own_data', 'own_account')));
