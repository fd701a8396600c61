#!/usr/bin/env bash
# Creates byov_grafana, the read-only login that Grafana's PostgreSQL datasource uses. The official
# postgres image runs this once, when it initialises an empty data directory. Default privileges
# give the role USAGE on every schema and SELECT on every table that the services' owner role
# (POSTGRES_USER) creates later through Flyway. The role can change nothing.
set -euo pipefail
: "${BYOV_GRAFANA_DB_PASSWORD:?set BYOV_GRAFANA_DB_PASSWORD for the byov_grafana role}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=grafana_password="$BYOV_GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE byov_grafana LOGIN PASSWORD :'grafana_password';
ALTER ROLE byov_grafana SET default_transaction_read_only = on;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO byov_grafana;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO byov_grafana;
SQL
