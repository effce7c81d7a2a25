-- Permissions of issue 3 (patients): the new rows of docs/roles.md. Staff
-- manage the practice's patients, send TAN invitations and see the patient
-- settings; only the owner changes them. The patient role (held in its
-- practice's domain, like staff) reaches only its own data and account.
-- Guests (TAN) hold no role and get no rule.
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES
    ('p', 'owner',        'practice:*', 'patients',    'list'),
    ('p', 'owner',        'practice:*', 'patients',    'create'),
    ('p', 'owner',        'practice:*', 'patients',    'view'),
    ('p', 'owner',        'practice:*', 'patients',    'update'),
    ('p', 'owner',        'practice:*', 'patients',    'delete'),
    ('p', 'owner',        'practice:*', 'invitations', 'send'),
    ('p', 'owner',        'practice:*', 'settings',    'view'),
    ('p', 'owner',        'practice:*', 'settings',    'update'),
    ('p', 'practitioner', 'practice:*', 'patients',    'list'),
    ('p', 'practitioner', 'practice:*', 'patients',    'create'),
    ('p', 'practitioner', 'practice:*', 'patients',    'view'),
    ('p', 'practitioner', 'practice:*', 'patients',    'update'),
    ('p', 'practitioner', 'practice:*', 'patients',    'delete'),
    ('p', 'practitioner', 'practice:*', 'invitations', 'send'),
    ('p', 'practitioner', 'practice:*', 'settings',    'view'),
    ('p', 'assistant',    'practice:*', 'patients',    'list'),
    ('p', 'assistant',    'practice:*', 'patients',    'create'),
    ('p', 'assistant',    'practice:*', 'patients',    'view'),
    ('p', 'assistant',    'practice:*', 'patients',    'update'),
    ('p', 'assistant',    'practice:*', 'patients',    'delete'),
    ('p', 'assistant',    'practice:*', 'invitations', 'send'),
    ('p', 'assistant',    'practice:*', 'settings',    'view'),
    ('p', 'patient',      'practice:*', 'own_data',    'export'),
    ('p', 'patient',      'practice:*', 'own_data',    'view'),
    ('p', 'patient',      'practice:*', 'own_account', 'delete');
