-- Permission of issue 6 (billing, price book): the new row of
-- docs/roles.md. Only the platform admin changes prices; reading them is
-- public and needs no permission.
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES
    ('p', 'platform-admin', 'platform', 'price_book', 'update');
