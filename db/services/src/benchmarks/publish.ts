// Publishing a fiscal year: the city's figures are copied into the core database in one atomic
// batch, replacing what that year had; withdrawing removes them. Both are recorded in the city's
// own history, journalled across the two databases (history/journal.ts). The drift check compares
// every publication with its source rows again.
import { and, eq, inArray } from 'drizzle-orm';
import { newId } from '@mamori/db';
import type { CoreDb, TenantDb } from '@mamori/db';
import { benchmarkFacts, benchmarkPublications } from '@mamori/db/core/benchmarks';
import { applyJournalled, isJournalled, journalEntry } from '../history/journal.ts';
import type { VerbArgs } from '../context.ts';
import { fiscalYearInput, publishInput } from '../domain/forms.ts';
import { ConflictError, invalid, parseInput } from '../errors.ts';
import { collectFiscalYearFigures, collectFiscalYearsFigures, figureYears, type FiscalYearFigures } from './collect.ts';

export interface PublishingTenant {
	id: string;
	municipalityCode: string;
	prefectureCode: string;
}

function factRows(tenant: PublishingTenant, figures: FiscalYearFigures, publishedAt: Date, taxonomyVersion: number) {
	const base = {
		tenantId: tenant.id,
		municipalityCode: tenant.municipalityCode,
		prefectureCode: tenant.prefectureCode,
		fiscalYear: figures.fiscalYear,
		publishedAt,
		taxonomyVersion
	};
	return [
		...figures.indicators.map((f) => ({
			...base,
			id: newId(),
			kind: 'indicator' as const,
			indicatorCode: f.indicatorCode,
			categoryCode: null,
			value: f.value,
			periodKind: f.periodKind,
			periodYear: f.periodYear,
			baselineValue: f.baselineValue,
			targetValue: f.targetValue,
			targetYear: f.targetYear,
			sourceId:
				f.source.kind === 'kpi'
					? f.source.kpiId
					: f.source.kind === 'statistic'
						? f.source.statisticId
						: f.source.metricIds.join(','),
			detail: f.source
		})),
		...figures.categories.map((c) => ({
			...base,
			id: newId(),
			kind: 'category' as const,
			indicatorCode: null,
			categoryCode: c.categoryCode,
			value: c.count,
			periodKind: 'fiscal_year' as const,
			periodYear: figures.fiscalYear,
			baselineValue: null,
			targetValue: null,
			targetYear: null,
			sourceId: null,
			detail: c.titles
		}))
	];
}

export async function publishFiscalYear({ ctx, input: raw }: VerbArgs): Promise<FiscalYearFigures> {
	ctx.authorize('plan.publish');
	const { fiscalYear, key } = parseInput(publishInput, raw);
	const { core, tenant } = ctx;
	// Only a year the city holds figures for can be published (the form offers only those).
	if (!(await figureYears({ db: ctx.db })).includes(fiscalYear))
		throw invalid('fiscalYear', 'error_publish_year_without_figures', { year: fiscalYear });
	const [figures, shared] = await Promise.all([collectFiscalYearFigures({ db: ctx.db, fiscalYear }), ctx.shared()]);
	const publishedAt = new Date(ctx.now());
	// The version in force: the city's categories were moved to it when it was published.
	const taxonomyVersion = shared.taxonomy.version ?? 1;
	const rows = factRows(tenant, figures, publishedAt, taxonomyVersion);
	const where = and(eq(benchmarkFacts.tenantId, tenant.id), eq(benchmarkFacts.fiscalYear, fiscalYear));
	// The city's history row is journalled in the same core batch (history/journal.ts).
	const history = journalEntry(
		ctx,
		{
			entity: 'plan',
			entityId: `publication:${fiscalYear}`,
			action: 'publish',
			before: null,
			after: figures
		},
		key
	);
	try {
		await core.batch([
			core.delete(benchmarkFacts).where(where),
			...(rows.length ? [core.insert(benchmarkFacts).values(rows)] : []),
			core
				.insert(benchmarkPublications)
				.values({
					tenantId: tenant.id,
					prefectureCode: tenant.prefectureCode,
					fiscalYear,
					publishedAt,
					publishedBy: ctx.actor.id,
					publishedByName: ctx.actor.email ?? ctx.actor.name, // the account, not a name the person chose
					factCount: rows.length,
					taxonomyVersion
				})
				.onConflictDoUpdate({
					target: [benchmarkPublications.tenantId, benchmarkPublications.fiscalYear],
					set: {
						publishedAt,
						publishedBy: ctx.actor.id,
						publishedByName: ctx.actor.email ?? ctx.actor.name, // the account, not a name the person chose
						factCount: rows.length,
						taxonomyVersion
					}
				}),
			history.statement
		]);
	} catch (error) {
		// This confirmation was published already (its key is journalled): not a second time.
		if (key && isJournalled(error)) throw new ConflictError({ fiscalYear, key });
		throw error;
	}
	await applyJournalled(ctx, history.row);
	return figures;
}

export async function withdrawFiscalYear({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.publish');
	const { fiscalYear } = parseInput(fiscalYearInput, raw);
	const { core, tenant } = ctx;
	const history = journalEntry(ctx, {
		entity: 'plan',
		entityId: `publication:${fiscalYear}`,
		action: 'withdraw',
		before: { fiscalYear },
		after: null
	});
	await core.batch([
		core
			.delete(benchmarkFacts)
			.where(and(eq(benchmarkFacts.tenantId, tenant.id), eq(benchmarkFacts.fiscalYear, fiscalYear))),
		core
			.delete(benchmarkPublications)
			.where(and(eq(benchmarkPublications.tenantId, tenant.id), eq(benchmarkPublications.fiscalYear, fiscalYear))),
		history.statement
	]);
	await applyJournalled(ctx, history.row);
}

export async function listPublications({ core, tenantId }: { core: CoreDb; tenantId: string }) {
	return core.select().from(benchmarkPublications).where(eq(benchmarkPublications.tenantId, tenantId));
}

export interface Drift {
	tenantId: string;
	fiscalYear: number;
	key: string;
	published: number | null;
	source: number | null;
}

/** What a city has published: its years and their facts. */
export interface Published {
	publications: (typeof benchmarkPublications.$inferSelect)[];
	facts: (typeof benchmarkFacts.$inferSelect)[];
}

/** What some cities have published, read from the core database in one round trip, by city. */
export async function readPublished(core: CoreDb, tenantIds: string[]): Promise<Map<string, Published>> {
	const [publications, facts] = await core.batch([
		core.select().from(benchmarkPublications).where(inArray(benchmarkPublications.tenantId, tenantIds)),
		core.select().from(benchmarkFacts).where(inArray(benchmarkFacts.tenantId, tenantIds))
	]);
	const publicationsOf = Map.groupBy(publications, (p) => p.tenantId);
	const factsOf = Map.groupBy(facts, (f) => f.tenantId);
	return new Map(
		tenantIds.map((id) => [id, { publications: publicationsOf.get(id) ?? [], facts: factsOf.get(id) ?? [] }])
	);
}

/** Compares every published fact of a city with what its database says now. */
export async function verifyTenantPublications({
	core,
	tenantId,
	db
}: {
	core: CoreDb;
	tenantId: string;
	db: TenantDb;
}): Promise<Drift[]> {
	const published = (await readPublished(core, [tenantId])).get(tenantId)!;
	return compareWithSource({ tenantId, db, published });
}

/** Compares what a city has published (readPublished) with its database, every year in one round trip. */
export async function compareWithSource({
	tenantId,
	db,
	published: { publications, facts }
}: {
	tenantId: string;
	db: TenantDb;
	published: Published;
}): Promise<Drift[]> {
	const drift: Drift[] = [];
	const collected = await collectFiscalYearsFigures({ db, fiscalYears: publications.map((p) => p.fiscalYear) });
	for (const [i, publication] of publications.entries()) {
		const figures = collected[i]!;
		const source = new Map<string, number>([
			...figures.indicators.map((f) => [`indicator:${f.indicatorCode}`, f.value] as const),
			...figures.categories.map((c) => [`category:${c.categoryCode}`, c.count] as const)
		]);
		const published = new Map(
			facts
				.filter((f) => f.fiscalYear === publication.fiscalYear)
				.map(
					(f) =>
						[f.kind === 'indicator' ? `indicator:${f.indicatorCode}` : `category:${f.categoryCode}`, f.value] as const
				)
		);
		for (const key of new Set([...source.keys(), ...published.keys()])) {
			const a = published.get(key) ?? null;
			const b = source.get(key) ?? null;
			if (a !== b) drift.push({ tenantId, fiscalYear: publication.fiscalYear, key, published: a, source: b });
		}
	}
	return drift;
}
