-- Undoes 0001_foundation. The role visite_tenant is cluster-wide and shared by
-- other databases, so it stays; only this database's grants to it go.

ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM visite_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM visite_tenant;

DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS tokens;
DROP TABLE IF EXISTS signups;
DROP TABLE IF EXISTS staff_members;
DROP TABLE IF EXISTS accounts;
DROP TABLE IF EXISTS practices;

REVOKE SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM visite_tenant;
REVOKE USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public FROM visite_tenant;
