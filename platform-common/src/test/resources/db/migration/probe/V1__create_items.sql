-- Test migration for MigrateOnlyModeTest: the first of two versions.
CREATE TABLE probe.items (id bigint PRIMARY KEY);
