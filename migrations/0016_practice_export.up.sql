-- The owner downloads everything the practice keeps (practice:export), in
-- every state of its contract: docs/roles.md, docs/billing.md.
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES
    ('p', 'owner', 'practice:*', 'practice', 'export');
