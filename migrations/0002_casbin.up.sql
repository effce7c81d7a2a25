-- Authorization policy for casbin (adapters/casbin): p-rules are role
-- permissions, g-rules role assignments. Unused columns hold '' rather than
-- NULL so that the unique constraint over all columns catches duplicates.
CREATE TABLE casbin_rule (
    id    bigserial PRIMARY KEY,
    ptype text NOT NULL,
    v0    text NOT NULL DEFAULT '',
    v1    text NOT NULL DEFAULT '',
    v2    text NOT NULL DEFAULT '',
    v3    text NOT NULL DEFAULT '',
    v4    text NOT NULL DEFAULT '',
    v5    text NOT NULL DEFAULT '',
    CONSTRAINT casbin_rule_unique UNIQUE (ptype, v0, v1, v2, v3, v4, v5)
);

-- One role per account (v0) and domain (v2); Assign upserts on this index.
CREATE UNIQUE INDEX casbin_rule_one_role ON casbin_rule (v0, v2) WHERE ptype = 'g';

-- Role permissions, exactly the ✓ cells of docs/roles.md (a test compares).
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES
    ('p', 'owner',          'practice:*', 'practice',       'view'),
    ('p', 'owner',          'practice:*', 'practice',       'update'),
    ('p', 'owner',          'practice:*', 'staff',          'list'),
    ('p', 'owner',          'practice:*', 'staff',          'invite'),
    ('p', 'owner',          'practice:*', 'staff',          'change_role'),
    ('p', 'owner',          'practice:*', 'staff',          'deactivate'),
    ('p', 'practitioner',   'practice:*', 'practice',       'view'),
    ('p', 'practitioner',   'practice:*', 'staff',          'list'),
    ('p', 'assistant',      'practice:*', 'practice',       'view'),
    ('p', 'assistant',      'practice:*', 'staff',          'list'),
    ('p', 'platform-admin', 'platform',   'platform_users', 'create'),
    ('p', 'platform-admin', 'platform',   'practices',      'list_all'),
    ('p', 'platform-admin', 'platform',   'jobs',           'monitor'),
    ('p', 'sales',          'platform',   'practices',      'list_all');
