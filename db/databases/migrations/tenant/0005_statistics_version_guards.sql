-- The version guard of 0001_version_guards for the tables added in 0004: a write based on a stale
-- version aborts its whole batch.
CREATE TRIGGER IF NOT EXISTS node_statistics_version_guard BEFORE UPDATE ON node_statistics
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS plan_references_version_guard BEFORE UPDATE ON plan_references
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
