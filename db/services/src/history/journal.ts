// The city's history of changes made in the core database (publishing, withdrawing, a member's
// role). Two databases cannot share a transaction, so the history row is journalled: it is
// written into the core's history_journal in the same batch as the change, then copied into the
// city's audit_log under the same id and marked applied. A crash after the core batch leaves the
// row pending, never lost; `reconcileHistory` (the API worker's scheduled job) copies what is
// pending. So the core change and the city's history agree, or are made to.
import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { CoreDb, TenantDb } from '@mamori/db';
import { historyJournal, tenants } from '@mamori/db/core';
import { auditLog } from '@mamori/db/tenant';
import { raisedByTrigger, type TenantContext } from '../context.ts';
import { auditRow, type AuditAction } from '../plan/audit.ts';

type Entry = { entity: string; entityId: string; action: AuditAction; before: unknown; after: unknown };
type Row = ReturnType<typeof auditRow>;
type Journalling = Pick<TenantContext, 'core' | 'actor' | 'now'> & { tenant: { id: string } };

/**
 * The journal row of a history entry, to put in the core batch of the change it records. With
 * `id` (an idempotency key) the same change sent twice fails the second batch on the journal's
 * primary key (`isJournalled`), so it is applied once.
 */
export function journalEntry(ctx: Journalling, entry: Entry, id?: string) {
	const row = { ...auditRow(ctx, entry), ...(id ? { id } : {}) };
	const statement = ctx.core.insert(historyJournal).values({
		id: row.id!,
		tenantId: ctx.tenant.id,
		entry: { ...row, at: (row.at as Date).getTime() },
		createdAt: new Date(ctx.now())
	});
	return { row, statement };
}

/** The core batch failed because its journal row is there already: the change was made before. */
export const isJournalled = (error: unknown): boolean => raisedByTrigger(error, 'history_journal.id');

const asRow = (entry: Record<string, unknown>): Row => ({ ...(entry as Row), at: new Date(Number(entry.at)) });

/** Copies journalled rows into the city's history (a row already there is left as it is), then marks them applied. */
async function apply(core: CoreDb, db: TenantDb, rows: Row[], now: number): Promise<void> {
	if (rows.length === 0) return;
	await db.insert(auditLog).values(rows).onConflictDoNothing({ target: auditLog.id });
	await core
		.update(historyJournal)
		.set({ appliedAt: new Date(now) })
		.where(
			inArray(
				historyJournal.id,
				rows.map((r) => r.id!)
			)
		);
}

/**
 * After the core batch: the city's history row, at once. When the city database cannot be
 * reached the change is made all the same and its history row stays pending, for the reconciler;
 * the caller is told, to say so rather than "not saved".
 */
export async function applyJournalled(
	ctx: Pick<TenantContext, 'core' | 'now'> & { db: TenantDb },
	row: Row
): Promise<'applied' | 'pending'> {
	try {
		await apply(ctx.core, ctx.db, [row], ctx.now());
		return 'applied';
	} catch (error) {
		console.warn(`history row ${String(row.id)} left pending for the reconciler: ${String(error)}`);
		return 'pending';
	}
}

export interface ReconcileReport {
	applied: number;
	errors: { tenantId: string; error: string }[];
}

/**
 * Copies every pending history row older than `olderThanMs` (a change still being made is left to
 * its own request) into its city's database. One city's failure does not stop the others.
 */
export async function reconcileHistory({
	core,
	open,
	now = Date.now(),
	olderThanMs = 60_000
}: {
	core: CoreDb;
	open: (tenant: { databaseUrl: string }) => TenantDb;
	now?: number;
	olderThanMs?: number;
}): Promise<ReconcileReport> {
	const pending = await core
		.select({
			id: historyJournal.id,
			tenantId: historyJournal.tenantId,
			entry: historyJournal.entry,
			databaseUrl: tenants.databaseUrl
		})
		.from(historyJournal)
		.innerJoin(tenants, eq(tenants.id, historyJournal.tenantId))
		.where(and(isNull(historyJournal.appliedAt), lt(historyJournal.createdAt, new Date(now - olderThanMs))))
		.orderBy(asc(historyJournal.createdAt))
		.limit(1000);
	const report: ReconcileReport = { applied: 0, errors: [] };
	for (const [tenantId, rows] of Map.groupBy(pending, (p) => p.tenantId)) {
		const db = open({ databaseUrl: rows[0]!.databaseUrl });
		try {
			await apply(
				core,
				db,
				rows.map((r) => asRow(r.entry)),
				now
			);
			report.applied += rows.length;
		} catch (error) {
			report.errors.push({ tenantId, error: String(error) });
		} finally {
			db.$client.close();
		}
	}
	return report;
}
