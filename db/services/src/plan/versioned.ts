// The one way a versioned row is changed (initiatives, nodes, departments, KPIs and their values,
// yearly records, metrics). The database refuses a stale version (migration 0001_version_guards);
// this helper turns every refusal, however it comes, into a ConflictError that carries the row as
// it is saved now, read again after the refusal, never the copy the editor had.
import { and, eq, isNull, max, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { AnySQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import { newId } from '@mamori/db';
import type { TenantContext } from '../context.ts';
import { isVersionConflict, raisedByTrigger } from '../context.ts';
import { ConflictError, invalid, NotFoundError } from '../errors.ts';

export type Statement = BatchItem<'sqlite'>;

/** Runs statements as one atomic batch (the change and its history row together). */
export async function runBatch(ctx: TenantContext, statements: Statement[]): Promise<void> {
	if (statements.length === 0) return;
	try {
		await ctx.db.batch(statements as [Statement, ...Statement[]]);
	} catch (error) {
		// The database refused a change to a year whose reporting round is closed (migration 0008).
		if (raisedByTrigger(error, 'round_closed')) throw invalid('form', 'error_year_locked');
		throw error;
	}
}

/** Adds a new row: `statements(id)` (its insert, what belongs with it, its history entry) as one batch. */
export async function insertNew(ctx: TenantContext, statements: (id: string) => Statement[]): Promise<{ id: string }> {
	const id = newId();
	await runBatch(ctx, statements(id));
	return { id };
}

/** The largest position among a new row's siblings, read in the batch that checks its parent. */
export function lastPosition(ctx: TenantContext, position: AnySQLiteColumn<{ data: number }>, siblings?: SQL) {
	return ctx.db
		.select({ position: max(position) })
		.from(position.table)
		.where(siblings);
}

/** Where a new row goes: after the last of its siblings (`lastPosition`'s answer). */
export function nextPosition(last: { position: number | null }[]): number {
	return (last[0]?.position ?? -1) + 1;
}

type VersionedTable = SQLiteTable & {
	id: AnySQLiteColumn<{ data: string }>;
	version: AnySQLiteColumn<{ data: number }>;
	updatedAt: AnySQLiteColumn;
};

/** The statement that changes a versioned row: its new values, its version moved on, its time. */
export function updateVersioned<T extends VersionedTable>(
	ctx: TenantContext,
	table: T,
	row: { id: string; version: number },
	set: SQLiteUpdateSetSource<T>
) {
	return ctx.db
		.update(table)
		.set({ ...set, version: row.version + 1, updatedAt: new Date(ctx.now()) } as SQLiteUpdateSetSource<T>)
		.where(eq(table.id, row.id));
}

type SoftDeletable = VersionedTable & { deletedAt: AnySQLiteColumn };

/** The statement that soft-deletes a row (`deletedAt` a date) or brings it back (null), moving its version. */
export function setDeleted<T extends SoftDeletable>(
	ctx: TenantContext,
	table: T,
	row: { id: string; version: number },
	deletedAt: Date | null
) {
	return updateVersioned(ctx, table, row, { deletedAt } as SQLiteUpdateSetSource<T>);
}

/** The id of a row that exists and is not deleted (no row otherwise), to read in a batch. */
export function liveRow(ctx: TenantContext, table: SoftDeletable, id: string | null | undefined) {
	return ctx.db
		.select({ id: table.id })
		.from(table)
		.where(and(eq(table.id, id ?? ''), isNull(table.deletedAt)));
}

/**
 * One kind of versioned row: how to read it as saved now, when it counts as gone, and who may
 * change it. `write` then runs one change of it through versionedWrite.
 */
export function versionedEntity<Row extends { version: number }>(entity: {
	what: string;
	read: (ctx: TenantContext, id: string) => Promise<Row | undefined | null>;
	gone?: (row: Row) => boolean;
	authorize: (ctx: TenantContext, row: Row) => void;
}) {
	const write = (
		ctx: TenantContext,
		target: { id: string; version: number | undefined },
		change: (row: Row) => Statement[] | Promise<Statement[]>,
		options: { gone?: (row: Row) => boolean; authorize?: (row: Row) => void } = {}
	) =>
		versionedWrite(ctx, {
			what: entity.what,
			read: () => entity.read(ctx, target.id),
			gone: options.gone ?? entity.gone,
			expected: target.version,
			authorize: options.authorize ?? ((row) => entity.authorize(ctx, row)),
			write: change
		});
	return {
		read: entity.read,
		write,
		/** Brings a deleted row back from the history: no version is offered, and only a deleted row can be. */
		restore: (ctx: TenantContext, id: string, change: (row: Row) => Statement[] | Promise<Statement[]>) =>
			write(ctx, { id, version: undefined }, change, { gone: (row) => !entity.gone?.(row) })
	};
}

export async function versionedWrite<Row extends { version: number }>(
	ctx: TenantContext,
	options: {
		/** What is saved now; undefined when there is no such row. */
		read: () => Promise<Row | undefined | null>;
		/** The version the editor saw; undefined for writes that offer none (restore from history). */
		expected: number | undefined;
		/** A row that exists but may not be written this way (e.g. already deleted): not found. */
		gone?: (row: Row) => boolean;
		/** The permission check, with the row in hand (a department-limited editor needs its departments). */
		authorize: (row: Row) => void;
		/** The batch: each update sets version = row.version + 1, plus its audit entry. */
		write: (row: Row) => Statement[] | Promise<Statement[]>;
		what?: string;
	}
): Promise<Row> {
	const current = await options.read();
	if (!current || options.gone?.(current)) throw new NotFoundError(options.what);
	options.authorize(current);
	if (options.expected !== undefined && current.version !== options.expected) throw new ConflictError(current);
	const statements = await options.write(current);
	try {
		await runBatch(ctx, statements);
	} catch (error) {
		if (!isVersionConflict(error)) throw error;
		const now = await options.read();
		if (!now) throw new NotFoundError(options.what);
		throw new ConflictError(now);
	}
	return current;
}

/**
 * A row of the plan as a whole (tree, departments, KPIs): soft-deleted by `deletedAt`, changed
 * only by an editor without a department limit.
 */
export function planEntity<Row extends { version: number; deletedAt: Date | null }>(
	what: string,
	read: (ctx: TenantContext, id: string) => Promise<Row | undefined | null>
) {
	return versionedEntity({
		what,
		read,
		gone: (row) => row.deletedAt !== null,
		authorize: (ctx) => ctx.authorize('plan.edit')
	});
}
