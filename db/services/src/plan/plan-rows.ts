// A whole plan in the shape of a seed city file (seeds/README.md) as insert statements, for one
// batch: the seed loader writes a city's plan with it, the document import a proposed plan. Ids
// come from the caller (stable ids for seeds, new ones for an import); a city that already has a
// plan gets the new nodes after its own and keeps the departments it has (matched by name).
import type { BatchItem } from 'drizzle-orm/batch';
import type { TenantDb } from '@mamori/db';
import * as tenant from '@mamori/db/tenant';
import type { CitySeed, SeedNode } from '../domain/seed-schema.ts';
import { metricStatus } from './records.ts';

export type PlanContent = Pick<CitySeed, 'plan' | 'departments' | 'nodes'>;

export interface PlanTarget {
	planId: string;
	/** Insert the plan row (and its references): the city has no plan yet. */
	newPlan: boolean;
	id: (...parts: (string | number)[]) => string;
	/** The city's departments by name: reused, not inserted again. */
	existingDepartments?: Map<string, string>;
	/** Positions after the city's own departments and top-level nodes. */
	departmentPosition?: number;
	nodePosition?: number;
}

/** The seed's optional fields as columns: what the file leaves out is null. */
function orNull<T extends object, K extends keyof T>(
	source: T,
	keys: K[]
): { [P in K]: Exclude<T[P], undefined> | null } {
	return Object.fromEntries(keys.map((key) => [key, source[key] ?? null])) as {
		[P in K]: Exclude<T[P], undefined> | null;
	};
}

export function planStatements(db: TenantDb, city: PlanContent, target: PlanTarget): BatchItem<'sqlite'>[] {
	const { id, planId } = target;
	const existing = target.existingDepartments ?? new Map<string, string>();
	const departmentId = new Map(city.departments.map((d) => [d.name, existing.get(d.name) ?? id('department', d.name)]));
	const rows = {
		nodes: [] as (typeof tenant.planNodes.$inferInsert)[],
		initiatives: [] as (typeof tenant.initiatives.$inferInsert)[],
		initiativeDepartments: [] as (typeof tenant.initiativeDepartments.$inferInsert)[],
		initiativeCategories: [] as (typeof tenant.initiativeCategories.$inferInsert)[],
		records: [] as (typeof tenant.yearlyRecords.$inferInsert)[],
		metrics: [] as (typeof tenant.metrics.$inferInsert)[],
		indicators: [] as (typeof tenant.indicators.$inferInsert)[],
		statistics: [] as (typeof tenant.nodeStatistics.$inferInsert)[]
	};
	const walk = (nodes: SeedNode[], parentId: string | null, path: string) =>
		nodes.forEach((node, index) => {
			const position = index + (parentId === null ? (target.nodePosition ?? 0) : 0);
			const nodePath = `${path}/${position}`;
			const nodeId = id('node', nodePath);
			rows.nodes.push({
				id: nodeId,
				planId,
				parentId,
				title: node.title,
				...orNull(node, ['code', 'subtitle', 'summary', 'currentState', 'relatedPlans', 'recordColumns', 'notes']),
				position
			});
			node.initiatives.forEach((ini, i) => {
				const initiativeId = id('initiative', nodePath, i);
				rows.initiatives.push({
					id: initiativeId,
					planId,
					nodeId,
					title: ini.title,
					...orNull(ini, ['code', 'description', 'planRef', 'departmentNote']),
					position: i
				});
				ini.departments.forEach((name, k) =>
					rows.initiativeDepartments.push({ initiativeId, departmentId: departmentId.get(name)!, position: k })
				);
				ini.categories.forEach((code, k) =>
					rows.initiativeCategories.push({ initiativeId, categoryCode: code, position: k })
				);
				ini.records.forEach((r, k) => {
					const recordId = id('record', nodePath, i, k);
					rows.records.push({
						id: recordId,
						initiativeId,
						fiscalYear: r.fiscalYear,
						phase: r.phase,
						departmentId: r.department ? departmentId.get(r.department)! : null,
						text: r.text,
						position: k
					});
					r.metrics.forEach((m, j) =>
						rows.metrics.push({
							id: id('metric', nodePath, i, k, j),
							recordId,
							label: m.label,
							value: m.value,
							unit: m.unit,
							indicatorCode: m.indicator ?? null,
							periodKind: m.period?.kind ?? 'fiscal_year',
							periodYear: m.period?.year ?? r.fiscalYear,
							status: metricStatus(m.status, r.phase),
							stockFlow: m.stockFlow ?? null,
							approximate: m.approximate ?? false,
							cumulative: m.cumulative ?? false,
							note: m.note ?? null,
							position: j
						})
					);
				});
			});
			node.indicators.forEach((k, i) =>
				rows.indicators.push({
					id: id('indicator', nodePath, i),
					nodeId,
					name: k.name,
					unit: k.unit,
					direction: k.direction,
					sharedIndicatorCode: k.sharedIndicator ?? null,
					stockFlow: k.stockFlow ?? null,
					baselineValue: k.baseline?.value ?? null,
					baselineText: k.baseline?.text ?? null,
					baselinePeriodKind: k.baseline?.period?.kind ?? null,
					baselineYear: k.baseline?.period?.year ?? null,
					// What the document does not call final or provisional is unknown.
					baselineStatus: k.baseline ? (k.baseline.status ?? 'unknown') : null,
					baselineNote: k.baseline?.note ?? null,
					targetValue: k.target?.value ?? null,
					targetText: k.target?.text ?? null,
					targetPeriodKind: k.target?.period?.kind ?? null,
					targetYear: k.target?.period?.year ?? null,
					targetNote: [k.target?.note, k.note].filter(Boolean).join('\n') || null,
					position: i
				})
			);
			node.statistics.forEach((s, i) =>
				rows.statistics.push({
					id: id('statistic', nodePath, i),
					nodeId,
					label: s.label,
					value: s.value,
					unit: s.unit,
					periodKind: s.period.kind,
					periodYear: s.period.year,
					status: s.status ?? null,
					sharedIndicatorCode: s.sharedIndicator ?? null,
					note: s.note ?? null,
					position: i
				})
			);
			walk(node.children, nodeId, nodePath);
		});
	walk(city.nodes, null, '');

	const statements: BatchItem<'sqlite'>[] = [];
	if (target.newPlan)
		statements.push(
			db.insert(tenant.plans).values({
				id: planId,
				title: city.plan.title,
				kind: city.plan.kind,
				...orNull(city.plan, ['sourceDocument', 'periodStart', 'periodEnd', 'recordColumns', 'notes']),
				levelLabels: city.plan.levelLabels,
				initiativeLabel: city.plan.initiativeLabel
			})
		);
	const added = city.departments.filter((d) => !existing.has(d.name));
	if (added.length > 0)
		statements.push(
			db.insert(tenant.departments).values(
				added.map((d, position) => ({
					id: departmentId.get(d.name)!,
					name: d.name,
					parentId: d.parent ? departmentId.get(d.parent)! : null,
					position: position + (target.departmentPosition ?? 0)
				}))
			)
		);
	const insertAll = <T extends Parameters<typeof db.insert>[0]>(table: T, values: T['$inferInsert'][]) => {
		for (let i = 0; i < values.length; i += 50)
			statements.push(db.insert(table).values(values.slice(i, i + 50) as never));
	};
	insertAll(tenant.planNodes, rows.nodes);
	insertAll(tenant.initiatives, rows.initiatives);
	insertAll(tenant.initiativeDepartments, rows.initiativeDepartments);
	insertAll(tenant.initiativeCategories, rows.initiativeCategories);
	insertAll(tenant.yearlyRecords, rows.records);
	insertAll(tenant.metrics, rows.metrics);
	insertAll(tenant.indicators, rows.indicators);
	insertAll(tenant.nodeStatistics, rows.statistics);
	insertAll(
		tenant.planReferences,
		(target.newPlan ? city.plan.references : []).map((r, position) => ({
			id: id('plan-reference', position),
			planId,
			title: r.title,
			...orNull(r, ['periodStart', 'periodEnd', 'section', 'page']),
			position
		}))
	);
	return statements;
}
