-- Grafana reads evaluations through a read-only role. The role is shared with other schemas and
-- may already exist, so it is created only when missing; deploy/ sets its password. Another
-- service migrating at the same moment may create it between the check and the CREATE, which the
-- handler absorbs.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'byov_grafana') THEN
        CREATE ROLE byov_grafana LOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;
END
$$;

GRANT USAGE ON SCHEMA evaluation TO byov_grafana;
GRANT SELECT ON ALL TABLES IN SCHEMA evaluation TO byov_grafana;
ALTER DEFAULT PRIVILEGES IN SCHEMA evaluation GRANT SELECT ON TABLES TO byov_grafana;
