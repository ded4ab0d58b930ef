import { and, desc, eq } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { auditLog, departments, indicators } from '@mamori/db/tenant';
import type { TenantContext, VerbArgs } from '../context.ts';
import { historyQuery } from '../domain/forms.ts';
import { parseInput } from '../errors.ts';

export type AuditAction =
	| 'create'
	| 'update'
	| 'delete'
	| 'restore'
	| 'move'
	| 'import'
	| 'publish'
	| 'withdraw'
	| 'recategorise' // moved to a new taxonomy version by its declared mapping
	| 'confirm'; // the city checked what a taxonomy migration asked it to

/**
 * How an edit verb records itself: 'update', or 'restore' when the history brings back an earlier
 * version through it (restoreVersion), so that the same validation and version guard apply.
 */
export interface EditArgs extends VerbArgs {
	action?: 'update' | 'restore';
}

type AuditInput = {
	entity: string;
	entityId: string;
	action: AuditAction;
	before: unknown;
	after: unknown;
	/** The row's id when the change has an idempotency key: sent twice, the second batch fails on it. */
	id?: string;
};

/** The values of a history row: who acted (by account), when, and what changed. */
export function auditRow(ctx: Pick<TenantContext, 'actor' | 'now'>, entry: AuditInput): typeof auditLog.$inferInsert {
	return {
		id: entry.id ?? newId(),
		at: new Date(ctx.now()),
		actorId: ctx.actor.id,
		actorName: ctx.actor.name,
		actorEmail: ctx.actor.email ?? null,
		actorRole: ctx.actor.role ?? null,
		entity: entry.entity,
		entityId: entry.entityId,
		action: entry.action,
		before: entry.before ?? null,
		after: entry.after ?? null
	};
}

/** The history row of a change; callers put it in the same batch as the change itself. */
export function auditEntry(ctx: Pick<TenantContext, 'db' | 'actor' | 'now'>, entry: AuditInput) {
	return ctx.db.insert(auditLog).values(auditRow(ctx, entry));
}

type PeriodKind = 'fiscal_year' | 'calendar_year';

/** A value as a person reads it; the web words it (years in the era, numbers with their unit). */
export type HistoryValue =
	| { text: string }
	| { year: number; periodKind: PeriodKind }
	| { amount: number; unit: string; label?: string }
	| { names: string[] }
	| { categories: string[] }
	| { phase: string }
	| { status: string }
	| { direction: string }
	| { planKind: string }
	| { role: string }
	| { residentPage: boolean };

/** What one change did to one field, named as staff name it (not the column). */
export type HistoryField =
	| 'initiativeTitle'
	| 'description'
	| 'planRef'
	| 'departments'
	| 'categories'
	| 'categoryReview'
	| 'fiscalYear'
	| 'phase'
	| 'department'
	| 'recordText'
	| 'metric'
	| 'nodeCode'
	| 'nodeTitle'
	| 'nodeSummary'
	| 'kpiName'
	| 'unit'
	| 'direction'
	| 'baseline'
	| 'baselineYear'
	| 'target'
	| 'targetYear'
	| 'value'
	| 'valuePeriod'
	| 'status'
	| 'departmentName'
	| 'planTitle'
	| 'planKind'
	| 'periodStart'
	| 'periodEnd'
	| 'levelLabels'
	| 'initiativeLabel'
	| 'residentPage'
	| 'memberName'
	| 'memberRole';

export interface HistoryChange {
	field: HistoryField;
	/** The period of a KPI value. */
	period?: { year: number; periodKind: PeriodKind };
	before: HistoryValue | null;
	after: HistoryValue | null;
}

export interface HistoryEntry {
	id: string;
	at: Date;
	actorName: string | null;
	actorEmail: string | null;
	actorRole: string | null;
	entity: string;
	entityId: string;
	action: string;
	before: unknown;
	after: unknown;
	/** The yearly record a change of an initiative's records concerns. */
	record: { fiscalYear: number; phase: string; department: string | null } | null;
	changes: HistoryChange[];
	/** The entry's `before` is an earlier version the item can be brought back to (restoreVersion). */
	restorable: boolean;
}

type Row = Record<string, unknown>;
/** What the wording needs besides the entry: department names, each KPI's unit. */
interface Lookup {
	departments: Map<string, string>;
	units: Map<string, string>;
	unit: string;
}
type Reader = (value: unknown, lookup: Lookup) => HistoryValue | null;

const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const text: Reader = (v) => (typeof v === 'string' && v !== '' ? { text: v } : null);
const fiscalYear: Reader = (v) => (typeof v === 'number' ? { year: v, periodKind: 'fiscal_year' } : null);
const amount: Reader = (v, l) => (typeof v === 'number' ? { amount: v, unit: l.unit } : null);
const tagged =
	<K extends 'phase' | 'status' | 'direction' | 'planKind' | 'role'>(key: K): Reader =>
	(v) =>
		typeof v === 'string' ? ({ [key]: v } as HistoryValue) : null;
const list = (names: string[]): HistoryValue | null => (names.length ? { names } : null);
const departmentList: Reader = (v) =>
	Array.isArray(v) ? list(v.map((d) => (isRow(d) ? String(d.name ?? '') : String(d)))) : null;
const department: Reader = (v, l) => (typeof v === 'string' ? { names: [l.departments.get(v) ?? '—'] } : null);
const categories: Reader = (v) => (Array.isArray(v) && v.length ? { categories: v.map(String) } : null);
const lines: Reader = (v) => (Array.isArray(v) ? list(v.map(String)) : null);
const onOff: Reader = (v) => (typeof v === 'boolean' ? { residentPage: v } : null);

/** The fields each kind of entry words, in the order a page shows them. */
const FIELDS: Record<string, Record<string, [HistoryField, Reader]>> = {
	initiative: {
		title: ['initiativeTitle', text],
		description: ['description', text],
		planRef: ['planRef', text],
		departments: ['departments', departmentList],
		categoryCodes: ['categories', categories],
		review: ['categoryReview', categories]
	},
	record: {
		fiscalYear: ['fiscalYear', fiscalYear],
		phase: ['phase', tagged('phase')],
		departmentId: ['department', department],
		text: ['recordText', text]
	},
	node: { code: ['nodeCode', text], title: ['nodeTitle', text], summary: ['nodeSummary', text] },
	indicator: {
		title: ['kpiName', text],
		unit: ['unit', text],
		direction: ['direction', tagged('direction')],
		// Baseline and target alike: a figure in the KPI's unit, and its 年度.
		...Object.fromEntries(
			(['baseline', 'target'] as const).flatMap((end) => [
				[`${end}Value`, [end, amount]],
				[`${end}Year`, [`${end}Year`, fiscalYear]]
			])
		)
	},
	value: { value: ['value', amount], status: ['status', tagged('status')] },
	department: { title: ['departmentName', text] },
	// A member's role and departments in the city (members.ts): who may edit what is audited too.
	member: {
		name: ['memberName', text],
		role: ['memberRole', tagged('role')],
		departments: ['departments', departmentList]
	},
	plan: {
		title: ['planTitle', text],
		kind: ['planKind', tagged('planKind')],
		periodStart: ['periodStart', fiscalYear],
		periodEnd: ['periodEnd', fiscalYear],
		levelLabels: ['levelLabels', lines],
		initiativeLabel: ['initiativeLabel', text],
		// The city's page for residents, opened or closed by its admin (resident/resident-page.ts).
		residentPage: ['residentPage', onOff]
	}
};

const same = (a: HistoryValue | null, b: HistoryValue | null) => JSON.stringify(a) === JSON.stringify(b);

function fieldChanges(kind: string, before: Row, after: Row, lookup: Lookup): HistoryChange[] {
	return Object.entries(FIELDS[kind] ?? {}).flatMap(([key, [field, read]]) => {
		const change = { field, before: read(before[key], lookup), after: read(after[key], lookup) };
		return same(change.before, change.after) ? [] : [change];
	});
}

const metricValue = (m: Row): HistoryValue => ({
	amount: Number(m.value),
	unit: String(m.unit ?? ''),
	label: String(m.label ?? '')
});

/** Metrics added, changed and removed: matched by id (a record added in one go has none yet). */
function metricChanges(before: Row[], after: Row[]): HistoryChange[] {
	const key = (m: Row, i: number) => (typeof m.id === 'string' ? m.id : `#${i}`);
	const old = new Map(before.map((m, i) => [key(m, i), metricValue(m)]));
	const now = new Map(after.map((m, i) => [key(m, i), metricValue(m)]));
	return [...new Set([...old.keys(), ...now.keys()])].flatMap((k) => {
		const change = { field: 'metric' as const, before: old.get(k) ?? null, after: now.get(k) ?? null };
		return same(change.before, change.after) ? [] : [change];
	});
}

const rows = (v: unknown): Row[] => (Array.isArray(v) ? v.filter(isRow) : []);

/** An entry in words: which record it concerns, and what changed in each field. */
function worded(
	entry: { entity: string; entityId: string; action: string; before: unknown; after: unknown },
	lookup: Omit<Lookup, 'unit'>
): Pick<HistoryEntry, 'record' | 'changes' | 'restorable'> {
	const before = isRow(entry.before) ? entry.before : {};
	const after = isRow(entry.after) ? entry.after : {};
	const l = { ...lookup, unit: lookup.units.get(entry.entityId) ?? '' };
	if (isRow(before.record) || isRow(after.record)) {
		const [b, a] = [isRow(before.record) ? before.record : {}, isRow(after.record) ? after.record : {}];
		const shown = isRow(after.record) ? a : b;
		const departmentId = typeof shown.departmentId === 'string' ? shown.departmentId : null;
		return {
			record: {
				fiscalYear: Number(shown.fiscalYear),
				phase: String(shown.phase ?? ''),
				department: departmentId && (l.departments.get(departmentId) ?? null)
			},
			changes: [...fieldChanges('record', b, a, l), ...metricChanges(rows(b.metrics), rows(a.metrics))],
			restorable: restorableKind(entry) !== null
		};
	}
	if (entry.entity === 'indicator' && (typeof before.periodYear === 'number' || typeof after.periodYear === 'number')) {
		const periodOf = (v: Row) =>
			typeof v.periodYear === 'number'
				? {
						year: v.periodYear,
						periodKind: (v.periodKind === 'calendar_year' ? 'calendar_year' : 'fiscal_year') as PeriodKind
					}
				: null;
		const [was, now] = [periodOf(before), periodOf(after)];
		const period = (now ?? was)!;
		const moved: HistoryChange[] =
			// setKpiValue's history keeps no period kind before: only the year can have moved there.
			was && now && (was.year !== now.year || (before.periodKind !== undefined && was.periodKind !== now.periodKind))
				? [{ field: 'valuePeriod', before: was, after: now }]
				: [];
		const changes = fieldChanges('value', before, after, l).map((c) => ({ ...c, period }));
		return { record: null, changes: [...moved, ...changes], restorable: false };
	}
	return {
		record: null,
		changes: fieldChanges(entry.entity, before, after, l),
		restorable: restorableKind(entry) !== null
	};
}

export type RestorableKind = 'initiative' | 'record' | 'node' | 'kpi' | 'plan' | 'department';

/**
 * What an entry's `before` is an earlier version of, or null when it holds none to go back to:
 * a creation has no before, a move only a position, a KPI value's own entries are corrected in
 * place, and a deletion is undone by its own restore (復元する), not by going back a version.
 */
export function restorableKind(entry: { entity: string; action: string; before: unknown }): RestorableKind | null {
	const before = isRow(entry.before) ? entry.before : null;
	if (!before || (entry.action !== 'update' && entry.action !== 'restore')) return null;
	if (entry.entity === 'initiative') {
		if (isRow(before.record)) return typeof before.record.text === 'string' ? 'record' : null;
		return typeof before.title === 'string' && Array.isArray(before.departments) && Array.isArray(before.categoryCodes)
			? 'initiative'
			: null;
	}
	if (typeof before.title !== 'string') return null;
	if (entry.entity === 'node' || entry.entity === 'department') return entry.entity;
	if (entry.entity === 'indicator') return 'periodYear' in before ? null : 'kpi';
	if (entry.entity === 'plan') return Array.isArray(before.levelLabels) ? 'plan' : null;
	return null;
}

/** The city's history, newest first; for one item when entity and id are given. */
export async function listHistory({ ctx, input: raw }: VerbArgs): Promise<HistoryEntry[]> {
	ctx.authorize('plan.read');
	const input = parseInput(historyQuery, raw);
	const where =
		input.entity && input.entityId
			? and(eq(auditLog.entity, input.entity), eq(auditLog.entityId, input.entityId))
			: undefined;
	const [entries, deps, kpis] = await ctx.db.batch([
		ctx.db
			.select({
				id: auditLog.id,
				at: auditLog.at,
				actorName: auditLog.actorName,
				actorEmail: auditLog.actorEmail,
				actorRole: auditLog.actorRole,
				entity: auditLog.entity,
				entityId: auditLog.entityId,
				action: auditLog.action,
				before: auditLog.before,
				after: auditLog.after
			})
			.from(auditLog)
			.where(where)
			.orderBy(desc(auditLog.at), desc(auditLog.id))
			.limit(input.limit),
		// Deleted departments too: the history names what a record belonged to then.
		ctx.db.select({ id: departments.id, name: departments.name }).from(departments),
		ctx.db.select({ id: indicators.id, unit: indicators.unit }).from(indicators)
	]);
	const lookup = {
		departments: new Map(deps.map((d) => [d.id, d.name])),
		units: new Map(kpis.map((k) => [k.id, k.unit]))
	};
	return entries.map((e) => ({ ...e, ...worded(e, lookup) }));
}
