// Backups of the core and every city database, and their restore (Node: files on disk).
export * from './backup.ts';
export {
	readSnapshot,
	loadSnapshot,
	snapshotToSqlite,
	sqliteToSnapshot,
	type DatabaseSnapshot
} from './database-file.ts';
