-- Permissions of issue 4 (consultations): the new rows of docs/roles.md.
-- All staff plan, list and change consultations; owners and practitioners
-- hold them (waiting room, admit, end); patients see their own.
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES
    ('p', 'owner',        'practice:*', 'consultations',     'schedule'),
    ('p', 'owner',        'practice:*', 'consultations',     'list'),
    ('p', 'owner',        'practice:*', 'consultations',     'change'),
    ('p', 'owner',        'practice:*', 'consultations',     'hold'),
    ('p', 'practitioner', 'practice:*', 'consultations',     'schedule'),
    ('p', 'practitioner', 'practice:*', 'consultations',     'list'),
    ('p', 'practitioner', 'practice:*', 'consultations',     'change'),
    ('p', 'practitioner', 'practice:*', 'consultations',     'hold'),
    ('p', 'assistant',    'practice:*', 'consultations',     'schedule'),
    ('p', 'assistant',    'practice:*', 'consultations',     'list'),
    ('p', 'assistant',    'practice:*', 'consultations',     'change'),
    ('p', 'patient',      'practice:*', 'own_consultations', 'view');
