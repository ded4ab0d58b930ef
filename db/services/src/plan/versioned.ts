// The one way a versioned row is changed (initiatives, nodes, departments, KPIs and their values,
// yearly records, metrics). The database refuses a stale version (migration 0001_version_guards);
// this helper turns every refusal, however it comes, into a ConflictError that carries the row as
// it is saved now, read again after the refusal, never the copy the editor had.
import type { BatchItem } from 'drizzle-orm/batch';
import type { TenantContext } from '../context.ts';
import { isVersionConflict } from '../context.ts';
import { ConflictError, NotFoundError } from '../errors.ts';

export type Statement = BatchItem<'sqlite'>;

/** Runs statements as one atomic batch (the change and its history row together). */
export async function runBatch(ctx: TenantContext, statements: Statement[]): Promise<void> {
	if (statements.length === 0) return;
	await ctx.db.batch(statements as [Statement, ...Statement[]]);
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
	return {
		read: entity.read,
		write: (
			ctx: TenantContext,
			target: { id: string; version: number | undefined },
			write: (row: Row) => Statement[] | Promise<Statement[]>,
			options: { gone?: (row: Row) => boolean; authorize?: (row: Row) => void } = {}
		) =>
			versionedWrite(ctx, {
				what: entity.what,
				read: () => entity.read(ctx, target.id),
				gone: options.gone ?? entity.gone,
				expected: target.version,
				authorize: options.authorize ?? ((row) => entity.authorize(ctx, row)),
				write
			})
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
