// Compares a proposal with a seeded city plan (seeds/cities/<slug>.yaml) field by field: counts,
// titles, departments, years, texts and numbers. Used by the per-city tests; answers every
// difference as "path: expected … got …" so that a failure says where.
import type { CitySeed, SeedNode } from '../domain/seed-schema.ts';
import type { DocumentProposal, ProposedNode } from './types.ts';

type Diff = string;

/** JSON with object keys sorted: the order of keys is no difference. */
const canonical = (v: unknown): string =>
	JSON.stringify(v ?? null, (_k, x: unknown) =>
		x && typeof x === 'object' && !Array.isArray(x)
			? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
			: x
	);

function same(diffs: Diff[], path: string, expected: unknown, actual: unknown) {
	const e = canonical(expected);
	const a = canonical(actual);
	if (e !== a) diffs.push(`${path}: expected ${e} got ${a}`);
}

const period = (p: { kind: string; year: number } | undefined) => (p ? { kind: p.kind, year: p.year } : undefined);

export function planDifferences(seed: CitySeed, proposal: DocumentProposal): Diff[] {
	const d: Diff[] = [];
	const sp = seed.plan;
	const pp = proposal.plan;
	same(d, 'plan.title', sp.title, pp.title);
	same(d, 'plan.kind', sp.kind, pp.kind);
	same(d, 'plan.periodStart', sp.periodStart, pp.periodStart);
	same(d, 'plan.periodEnd', sp.periodEnd, pp.periodEnd);
	same(d, 'plan.levelLabels', sp.levelLabels, pp.levelLabels);
	same(d, 'plan.initiativeLabel', sp.initiativeLabel, pp.initiativeLabel);
	same(d, 'plan.recordColumns', sp.recordColumns, pp.recordColumns);
	same(d, 'plan.references', sp.references, pp.references);
	same(
		d,
		'departments',
		seed.departments.map((x) => ({ name: x.name, ...(x.parent ? { parent: x.parent } : {}) })),
		proposal.departments
	);
	nodes(d, 'nodes', seed.nodes, proposal.nodes);
	return d;
}

function nodes(d: Diff[], path: string, expected: SeedNode[], actual: ProposedNode[]) {
	same(d, `${path}.length`, expected.length, actual.length);
	expected.forEach((e, i) => {
		const a = actual[i];
		const at = `${path}[${i}]`;
		if (!a) return;
		same(d, `${at}.code`, e.code, a.code);
		same(d, `${at}.title`, e.title, a.title);
		same(d, `${at}.subtitle`, e.subtitle, a.subtitle);
		same(d, `${at}.summary`, e.summary, a.summary);
		same(d, `${at}.currentState`, e.currentState, a.currentState);
		same(d, `${at}.relatedPlans`, e.relatedPlans, a.relatedPlans);
		same(d, `${at}.recordColumns`, e.recordColumns, a.recordColumns);
		same(
			d,
			`${at}.statistics`,
			e.statistics.map((s) => ({ value: s.value, unit: s.unit, period: period(s.period) })),
			a.statistics.map((s) => ({ value: s.value, unit: s.unit, period: period(s.period) }))
		);
		same(d, `${at}.initiatives.length`, e.initiatives.length, a.initiatives.length);
		e.initiatives.forEach((ei, k) => {
			const ai = a.initiatives[k];
			const ip = `${at}.initiatives[${k}]`;
			if (!ai) return;
			same(d, `${ip}.code`, ei.code, ai.code);
			same(d, `${ip}.title`, ei.title, ai.title);
			same(d, `${ip}.description`, ei.description, ai.description);
			same(d, `${ip}.planRef`, ei.planRef, ai.planRef);
			same(d, `${ip}.departments`, ei.departments, ai.departments);
			same(d, `${ip}.departmentNote`, ei.departmentNote, ai.departmentNote);
			same(d, `${ip}.records.length`, ei.records.length, ai.records.length);
			ei.records.forEach((er, r) => {
				const ar = ai.records[r];
				const rp = `${ip}.records[${r}]`;
				if (!ar) return;
				same(d, `${rp}.fiscalYear`, er.fiscalYear, ar.fiscalYear);
				same(d, `${rp}.phase`, er.phase, ar.phase);
				same(d, `${rp}.department`, er.department, ar.department);
				same(d, `${rp}.text`, er.text, ar.text);
				same(
					d,
					`${rp}.metrics`,
					er.metrics.map((m) => ({
						value: m.value,
						unit: m.unit,
						period: period(m.period) ?? { kind: 'fiscal_year', year: er.fiscalYear },
						approximate: m.approximate ?? false,
						cumulative: m.cumulative ?? false
					})),
					ar.metrics.map((m) => ({
						value: m.value,
						unit: m.unit,
						period: period(m.period),
						approximate: m.approximate ?? false,
						cumulative: m.cumulative ?? false
					}))
				);
			});
		});
		same(d, `${at}.indicators.length`, e.indicators.length, a.indicators.length);
		e.indicators.forEach((ek, k) => {
			const ak = a.indicators[k];
			const kp = `${at}.indicators[${k}]`;
			if (!ak) return;
			same(d, `${kp}.name`, ek.name, ak.name);
			same(d, `${kp}.unit`, ek.unit, ak.unit);
			same(d, `${kp}.direction`, ek.direction, ak.direction);
			for (const side of ['baseline', 'target'] as const) {
				const x = ek[side];
				const y = ak[side];
				same(
					d,
					`${kp}.${side}`,
					x && { value: x.value, text: x.text, period: period(x.period) },
					y && { value: y.value, text: y.text, period: period(y.period) }
				);
			}
		});
		nodes(d, `${at}.children`, e.children, a.children);
	});
}
