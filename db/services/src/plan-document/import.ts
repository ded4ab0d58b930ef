// The document import as the web app (and API) use it. Preview parses the text and writes
// nothing; confirm parses the same text again (it is no more trusted than a new upload), applies
// the user's corrections from the preview form — titles, departments, rows dropped, categories
// chosen — checks the result with the seed schemas (the shape every plan of the app has), and
// writes all of it in one batch with its history row, or nothing.
import { count, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { newId } from '@mamori/db';
import { departments, planNodes, plans } from '@mamori/db/tenant';
import { raisedByTrigger, type TenantContext, type VerbArgs } from '../context.ts';
import { citySeed } from '../domain/seed-schema.ts';
import type { UploadRule } from '../domain/fields.ts';
import { ConflictError, decodeMessage, invalid, type Message } from '../errors.ts';
import { id as rowId } from '../domain/fields.ts';
import { auditEntry } from '../plan/audit.ts';
import { planStatements, type PlanContent } from '../plan/plan-rows.ts';
import { runBatch } from '../plan/versioned.ts';
import { parsePlanDocument } from './parse.ts';
import type { DocumentProposal, ProposedInitiative, ProposedKpi, ProposedNode, ProposedRecord } from './types.ts';

/** A plan document's text is far below this (the three cities': 14–32 KB). */
export const PLAN_DOCUMENT_UPLOAD: UploadRule = {
	maxBytes: 1024 * 1024,
	maxLabel: '1 MB',
	missingKey: 'document_missing',
	tooLargeKey: 'document_too_large'
};
const MAX_TEXT = 1_000_000;

/** Each part of the proposal with its form key (its place in the tree) and what the user chose. */
export interface Chosen {
	keep: boolean;
}
export type EditableRecord = ProposedRecord & Chosen & { key: string };
export type EditableKpi = ProposedKpi & Chosen & { key: string };
export type EditableInitiative = Omit<ProposedInitiative, 'records'> &
	Chosen & { key: string; chosen: string[]; records: EditableRecord[] };
export type EditableNode = Omit<ProposedNode, 'children' | 'initiatives' | 'indicators'> & {
	key: string;
	children: EditableNode[];
	initiatives: EditableInitiative[];
	indicators: EditableKpi[];
};
export type EditableProposal = Omit<DocumentProposal, 'nodes'> & { nodes: EditableNode[] };

export interface DocumentProblem {
	line: number;
	reason: Message;
}

export interface DocumentPreview {
	proposal: EditableProposal;
	/** The text as read (from the file or the field), sent back with the corrections. */
	text: string;
	problems: DocumentProblem[];
	taxonomy: string[];
	counts: { nodes: number; initiatives: number; records: number; indicators: number; unplaced: number };
	/**
	 * The confirmation's idempotency key, sent back with it: the import's history row takes it as
	 * its id, so a confirmation sent twice (a retry after 「保存されたか確認してください」) imports once.
	 */
	key: string;
}

const field = (values: Record<string, unknown>, name: string) => {
	const v = values[name];
	return typeof v === 'string' ? v : undefined;
};

/** The proposal with form keys and the user's corrections (none yet: everything kept, all suggestions chosen). */
export function editable(
	p: DocumentProposal,
	values: Record<string, unknown>,
	codes: ReadonlySet<string>
): EditableProposal {
	const corrected = field(values, 'corrected') === '1';
	const kept = (key: string) => !corrected || field(values, `keep:${key}`) !== undefined;
	const title = (key: string, printed: string) => field(values, `title:${key}`)?.trim() || printed;
	const node = (n: ProposedNode, key: string): EditableNode => ({
		...n,
		key,
		title: title(key, n.title),
		children: n.children.map((c, i) => node(c, `${key}.${i}`)),
		initiatives: n.initiatives.map((ini, k) => {
			const ik = `${key}.i${k}`;
			const typed = field(values, `dept:${ik}`);
			const extra = field(values, `catadd:${ik}`);
			const chosen = corrected
				? [...ini.categories.map((c) => c.code).filter((c) => field(values, `cat:${ik}:${c}`) !== undefined)]
				: ini.categories.map((c) => c.code);
			if (extra && codes.has(extra) && !chosen.includes(extra)) chosen.push(extra);
			return {
				...ini,
				key: ik,
				title: title(ik, ini.title),
				departments:
					typed === undefined
						? ini.departments
						: [
								...new Set(
									typed
										.split(/[、,，\n]/)
										.map((d) => d.trim())
										.filter(Boolean)
								)
							],
				keep: kept(ik),
				chosen,
				records: ini.records.map((r, j) => ({ ...r, key: `${ik}.r${j}`, keep: kept(`${ik}.r${j}`) }))
			};
		}),
		indicators: n.indicators.map((k, j) => ({ ...k, key: `${key}.k${j}`, keep: kept(`${key}.k${j}`) }))
	});
	return {
		...p,
		plan: { ...p.plan, title: field(values, 'title:plan')?.trim() || p.plan.title },
		nodes: p.nodes.map((n, i) => node(n, String(i)))
	};
}

/** What is written: the kept parts, in the seed file's shape. */
export function contentOf(p: EditableProposal): PlanContent {
	const used = new Set<string>();
	const node = (n: EditableNode): PlanContent['nodes'][number] => ({
		...(n.code ? { code: n.code } : {}),
		title: n.title,
		...(n.subtitle ? { subtitle: n.subtitle } : {}),
		...(n.summary ? { summary: n.summary } : {}),
		...(n.currentState ? { currentState: n.currentState } : {}),
		...(n.relatedPlans ? { relatedPlans: n.relatedPlans } : {}),
		...(n.recordColumns ? { recordColumns: n.recordColumns } : {}),
		children: n.children.map(node),
		initiatives: n.initiatives
			.filter((i) => i.keep)
			.map((i) => {
				i.departments.forEach((d) => used.add(d));
				return {
					...(i.code ? { code: i.code } : {}),
					title: i.title,
					...(i.description ? { description: i.description } : {}),
					...(i.planRef ? { planRef: i.planRef } : {}),
					departments: i.departments,
					...(i.departmentNote ? { departmentNote: i.departmentNote } : {}),
					categories: i.chosen,
					records: i.records
						.filter((r) => r.keep)
						.map((r) => {
							if (r.department) used.add(r.department);
							return {
								fiscalYear: r.fiscalYear,
								phase: r.phase,
								...(r.department ? { department: r.department } : {}),
								text: r.text,
								metrics: r.metrics.map((m) => ({
									label: m.label.slice(0, 100),
									value: m.value,
									unit: m.unit,
									period: { kind: m.period.kind, year: m.period.year },
									...(r.phase === 'plan' ? { status: 'planned' as const } : {}),
									...(m.approximate ? { approximate: true } : {}),
									...(m.cumulative ? { cumulative: true } : {})
								})),
								...(r.yearInferred ? { note: '年度の元号は文書から推定' } : {})
							};
						})
				};
			}),
		indicators: n.indicators
			.filter((k) => k.keep)
			.map((k) => ({
				name: k.name,
				unit: k.unit,
				direction: k.direction,
				...(k.baseline ? { baseline: measured(k.baseline) } : {}),
				...(k.target ? { target: measured(k.target) } : {})
			})),
		statistics: n.statistics.map((s) => ({
			...s,
			label: s.label.slice(0, 100),
			period: { kind: s.period.kind, year: s.period.year }
		}))
	});
	const nodes = p.nodes.map(node);
	const known = new Map(p.departments.map((d) => [d.name, d]));
	const depts = [...p.departments];
	for (const name of used) if (!known.has(name)) depts.push({ name });
	return {
		plan: {
			title: p.plan.title,
			kind: p.plan.kind,
			...(p.plan.periodStart !== undefined ? { periodStart: p.plan.periodStart } : {}),
			...(p.plan.periodEnd !== undefined ? { periodEnd: p.plan.periodEnd } : {}),
			levelLabels: p.plan.levelLabels,
			initiativeLabel: p.plan.initiativeLabel,
			...(p.plan.recordColumns ? { recordColumns: p.plan.recordColumns } : {}),
			references: p.plan.references
		},
		departments: depts,
		nodes
	};
}

function measured(m: NonNullable<ProposedKpi['baseline']>) {
	return {
		...(m.value !== undefined ? { value: m.value } : {}),
		...(m.text ? { text: m.text.slice(0, 200) } : {}),
		...(m.period ? { period: { kind: m.period.kind, year: m.period.year } } : {}),
		...(m.period?.inferred ? { note: '年度は文書から推定' } : m.note ? { note: m.note } : {})
	};
}

const contentSchema = z.object({
	plan: citySeed.shape.plan,
	departments: citySeed.shape.departments,
	nodes: citySeed.shape.nodes
});

/** The schema's refusals, each on the line of the part it concerns. */
function problemsOf(p: EditableProposal, content: PlanContent): DocumentProblem[] {
	const parsed = contentSchema.safeParse(content);
	const out: DocumentProblem[] = p.messages.map((m) => ({ line: m.line, reason: { key: m.key } }));
	if (parsed.success) return out;
	for (const issue of parsed.error.issues) {
		// Walk the path through the kept parts to the nearest one with a line.
		let line = 1;
		let at: unknown = { nodes: keptNodes(p.nodes) };
		for (const step of issue.path) {
			at = (at as Record<PropertyKey, unknown> | undefined)?.[step as PropertyKey];
			const l = (at as { line?: unknown } | undefined)?.line;
			if (typeof l === 'number') line = l;
		}
		out.push({ line, reason: decodeMessage(issue.message) });
	}
	return out;
}

const keptNodes = (nodes: EditableNode[]): unknown[] =>
	nodes.map((n) => ({
		...n,
		children: keptNodes(n.children),
		initiatives: n.initiatives.filter((i) => i.keep).map((i) => ({ ...i, records: i.records.filter((r) => r.keep) })),
		indicators: n.indicators.filter((k) => k.keep)
	}));

function counts(p: EditableProposal) {
	const c = { nodes: 0, initiatives: 0, records: 0, indicators: 0, unplaced: p.unplaced.length };
	const walk = (nodes: EditableNode[]) =>
		nodes.forEach((n) => {
			c.nodes++;
			c.indicators += n.indicators.filter((k) => k.keep).length;
			for (const i of n.initiatives.filter((x) => x.keep)) {
				c.initiatives++;
				c.records += i.records.filter((r) => r.keep).length;
			}
			walk(n.children);
		});
	walk(p.nodes);
	return c;
}

async function textOf(raw: unknown): Promise<string> {
	const values = (raw ?? {}) as Record<string, unknown>;
	const file = values.file;
	let out = typeof values.text === 'string' ? values.text : '';
	// A file input left empty is sent as an empty part (or none): the text field is read then.
	if (file instanceof Blob && file.size > 0) {
		if (file.size > PLAN_DOCUMENT_UPLOAD.maxBytes)
			throw invalid('file', 'document_too_large', { max: PLAN_DOCUMENT_UPLOAD.maxLabel });
		out = new TextDecoder('utf-8').decode(await file.arrayBuffer()).replace(/^\uFEFF/, '');
	}
	if (out.length > MAX_TEXT) throw invalid('text', 'document_too_large', { max: PLAN_DOCUMENT_UPLOAD.maxLabel });
	if (!out.trim()) throw invalid('text', 'document_missing');
	return out;
}

function check(
	text: string,
	values: Record<string, unknown>,
	codes: ReadonlySet<string>
): Omit<DocumentPreview, 'key'> {
	const proposal = editable(parsePlanDocument(text, codes), values, codes);
	return {
		proposal,
		text,
		problems: problemsOf(proposal, contentOf(proposal)),
		taxonomy: [...codes].sort(),
		counts: counts(proposal)
	};
}

/** Reads the pasted or uploaded text and proposes a plan; writes nothing. */
export async function previewDocumentImport({ ctx, input }: VerbArgs): Promise<DocumentPreview> {
	ctx.authorize('plan.edit');
	const text = await textOf(input);
	const { taxonomyCodes } = await ctx.shared();
	return { ...check(text, {}, taxonomyCodes), key: newId() };
}

/**
 * Writes the corrected proposal: every node, initiative, record, metric and KPI in one batch with
 * its history row, or — when a part is refused — nothing, answering the preview again with the
 * problems located.
 */
export async function confirmDocumentImport({
	ctx,
	input
}: VerbArgs): Promise<
	{ status: 'imported'; counts: DocumentPreview['counts'] } | { status: 'problems'; preview: DocumentPreview }
> {
	ctx.authorize('plan.edit');
	const values = (input ?? {}) as Record<string, unknown>;
	const text = await textOf({ text: field(values, 'text') });
	const { taxonomyCodes } = await ctx.shared();
	// A confirmation without a key (none was previewed) is its own: it cannot be sent twice.
	const given = rowId.safeParse(values.key);
	const key = given.success ? given.data : newId();
	const preview = { ...check(text, values, taxonomyCodes), key };
	if (preview.problems.length > 0) return { status: 'problems', preview };
	try {
		await writePlan(ctx, contentOf(preview.proposal), preview.counts, key);
	} catch (error) {
		// Imported already by this same confirmation: nothing a second time.
		if (raisedByTrigger(error, 'audit_log.id')) throw new ConflictError({ imported: true });
		throw error;
	}
	return { status: 'imported', counts: preview.counts };
}

async function writePlan(ctx: TenantContext, content: PlanContent, summary: DocumentPreview['counts'], key: string) {
	const [[plan], existing, [top]] = await Promise.all([
		ctx.db.select({ id: plans.id }).from(plans).limit(1),
		ctx.db.select({ id: departments.id, name: departments.name }).from(departments),
		ctx.db.select({ n: count() }).from(planNodes).where(isNull(planNodes.parentId))
	]);
	const byName = new Map(existing.map((d) => [d.name.normalize('NFKC'), d.id]));
	const existingDepartments = new Map<string, string>();
	for (const d of content.departments) {
		const id = byName.get(d.name.normalize('NFKC'));
		if (id) existingDepartments.set(d.name, id);
	}
	const planId = plan?.id ?? newId();
	const statements = planStatements(ctx.db, content, {
		planId,
		newPlan: !plan,
		id: () => newId(),
		existingDepartments,
		departmentPosition: existing.length,
		nodePosition: top?.n ?? 0
	});
	statements.push(
		auditEntry(ctx, {
			id: key,
			entity: 'plan',
			entityId: planId,
			action: 'import',
			before: null,
			after: { source: 'document', title: content.plan.title, ...summary }
		})
	);
	await runBatch(ctx, statements);
}
