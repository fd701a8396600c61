-- Test migration for MigrateOnlyModeTest: the second of two versions.
ALTER TABLE probe.items ADD COLUMN name text;
