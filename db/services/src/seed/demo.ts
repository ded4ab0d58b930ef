// Outside production: the seed cities' documented years published as the demo officials first see
// them, a reporting round open in 小金井市 for its departments' staff to try, and 小金井市's page for
// residents open (/shimin/koganei), with its two published years.
import { eq } from 'drizzle-orm';
import { openTenant, type CoreDb } from '@mamori/db';
import * as core from '@mamori/db/core';
import { listPublications, publishFiscalYear } from '../benchmarks/publish.ts';
import { setResidentPage } from '../resident/resident-page.ts';
import { listRounds, openRound } from '../rounds/rounds.ts';
import { tenantContext } from '../context.ts';
import type { CitySeedResult } from './city.ts';

/**
 * The seed cities' figures as the demo officials first see them: each city's documented years,
 * published once (a year already published, perhaps edited since, is left as it is).
 */
const DEMO_PUBLICATIONS: Record<string, number[]> = { meguro: [2020], koganei: [2018, 2019], tomakomai: [2023] };

/** 小金井市 asks its departments for 令和2年度, the year after its document's: every task open. */
const DEMO_ROUNDS: Record<string, { fiscalYear: number; deadline: string }> = {
	koganei: { fiscalYear: 2020, deadline: '2027-05-31' }
};

/** The cities whose page for residents the demo opens (each seed run opens it again). */
const DEMO_RESIDENT_PAGES = new Set(['koganei']);

export async function publishDemoFigures(coreDb: CoreDb, cities: CitySeedResult[]): Promise<number> {
	let published = 0;
	for (const city of cities) {
		const years = DEMO_PUBLICATIONS[city.slug] ?? [];
		if (years.length === 0 && !DEMO_ROUNDS[city.slug] && !DEMO_RESIDENT_PAGES.has(city.slug)) continue;
		const [row] = await coreDb
			.select({
				id: core.tenants.id,
				municipalityCode: core.tenants.municipalityCode,
				prefectureCode: core.municipalities.prefectureCode
			})
			.from(core.tenants)
			.innerJoin(core.municipalities, eq(core.municipalities.code, core.tenants.municipalityCode))
			.where(eq(core.tenants.slug, city.slug));
		if (!row) continue;
		const done = new Set((await listPublications({ core: coreDb, tenantId: row.id })).map((p) => p.fiscalYear));
		const db = openTenant(city.location);
		try {
			const ctx = tenantContext({
				db,
				core: coreDb,
				tenant: { ...row, status: 'active' },
				principal: null,
				actor: { id: null, name: 'Mamori (seed)' },
				authorize: () => {}
			});
			for (const fiscalYear of years.filter((y) => !done.has(y))) {
				await publishFiscalYear({ ctx, input: { fiscalYear } });
				published++;
			}
			const round = DEMO_ROUNDS[city.slug];
			if (round && !(await listRounds({ ctx })).some((r) => r.fiscalYear === round.fiscalYear))
				await openRound({ ctx, input: round });
			if (DEMO_RESIDENT_PAGES.has(city.slug)) await setResidentPage({ ctx, input: { residentPage: true } });
		} finally {
			db.$client.close();
		}
	}
	return published;
}
