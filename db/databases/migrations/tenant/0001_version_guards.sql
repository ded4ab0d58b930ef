-- Optimistic concurrency enforced by the database: every update of a versioned row must move
-- its version from N to N+1. A write based on a stale version (N already moved on) aborts the
-- whole batch, so nothing of a stale save is written. Services set version = <read version> + 1.
CREATE TRIGGER IF NOT EXISTS plans_version_guard BEFORE UPDATE ON plans
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS departments_version_guard BEFORE UPDATE ON departments
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS plan_nodes_version_guard BEFORE UPDATE ON plan_nodes
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS initiatives_version_guard BEFORE UPDATE ON initiatives
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS yearly_records_version_guard BEFORE UPDATE ON yearly_records
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS metrics_version_guard BEFORE UPDATE ON metrics
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS indicators_version_guard BEFORE UPDATE ON indicators
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS indicator_values_version_guard BEFORE UPDATE ON indicator_values
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
