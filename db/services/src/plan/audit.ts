import { and, desc, eq } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { auditLog } from '@mamori/db/tenant';
import type { TenantContext, VerbArgs } from '../context.ts';
import { historyQuery } from '../domain/forms.ts';
import { parseInput } from '../errors.ts';

export type AuditAction = 'create' | 'update' | 'delete' | 'restore' | 'move' | 'import' | 'publish' | 'withdraw';

/** The history row of a change; callers put it in the same batch as the change itself. */
export function auditEntry(
	ctx: TenantContext,
	entry: { entity: string; entityId: string; action: AuditAction; before: unknown; after: unknown }
) {
	return ctx.db.insert(auditLog).values({
		id: newId(),
		at: new Date(ctx.now()),
		actorId: ctx.actor.id,
		actorName: ctx.actor.name,
		entity: entry.entity,
		entityId: entry.entityId,
		action: entry.action,
		before: entry.before ?? null,
		after: entry.after ?? null
	});
}

export interface HistoryEntry {
	id: string;
	at: Date;
	actorName: string | null;
	entity: string;
	entityId: string;
	action: string;
	before: unknown;
	after: unknown;
}

/** The city's history, newest first; for one item when entity and id are given. */
export async function listHistory({ ctx, input: raw }: VerbArgs): Promise<HistoryEntry[]> {
	ctx.authorize('plan.read');
	const input = parseInput(historyQuery, raw);
	const where =
		input.entity && input.entityId
			? and(eq(auditLog.entity, input.entity), eq(auditLog.entityId, input.entityId))
			: undefined;
	return ctx.db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			actorName: auditLog.actorName,
			entity: auditLog.entity,
			entityId: auditLog.entityId,
			action: auditLog.action,
			before: auditLog.before,
			after: auditLog.after
		})
		.from(auditLog)
		.where(where)
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(input.limit);
}
