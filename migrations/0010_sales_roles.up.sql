-- Permissions of issue 6 (billing, sales leads): the new rows of
-- docs/roles.md. The sales team and the platform admins read leads, move
-- them through their states and add notes; the domain is the platform,
-- since leads belong to no practice. Nobody needs a permission to send the
-- public contact form.
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES
    ('p', 'platform-admin', 'platform', 'leads', 'list'),
    ('p', 'platform-admin', 'platform', 'leads', 'update'),
    ('p', 'sales',          'platform', 'leads', 'list'),
    ('p', 'sales',          'platform', 'leads', 'update');
