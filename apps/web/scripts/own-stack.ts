// A stack of its own for the reliability runs (the fault tests and `npm run soak`): its own sqld,
// migrated and seeded, and the built web app in workerd (no build here: `npm run build` first).
// Its own because the fault tests kill and stop sqld and the soak rewrites records, which the
// other browser tests must not see. Optionally the app reaches sqld through a proxy (`via`,
// e2e/fault-proxy.ts), and more cities are added, copies of 小金井市's plan under other names.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openCore } from '@mamori/db';
import { memberships, users } from '@mamori/db/core';
import { freePort, migrateFleet, SqldDirectory, startSqld, type SqldServer } from '@mamori/db/node';
import { hashPassword } from '@mamori/services/auth';
import { DEFAULT_DEMO_PASSWORD, readCsv, seedAll, stableId } from '@mamori/services/node';
import { repoRoot, startWorker, type Worker } from './stack.ts';

export interface OwnStack {
	url: string;
	/** The second app's address, when `second` was asked for. */
	secondUrl?: string;
	dataDir: string;
	/** The core database, reached directly (not through `via`). */
	coreUrl: string;
	sqld: SqldServer;
	/** The slugs of the cities, the seed cities first. */
	cities: string[];
	/** A city's database, reached directly. */
	cityUrl(slug: string): string;
	/** Starts sqld again on the same data (after a kill), on its old ports or behind `via`. */
	restartSqld(): Promise<SqldServer>;
	stop(): Promise<void>;
}

const SEED_CITIES = ['meguro', 'koganei', 'tomakomai'];

/** The seed files with `extra` more cities: 小金井市's plan under the names of other municipalities. */
function seedsWithCities(extra: number): string {
	const source = join(repoRoot, 'seeds');
	if (extra === 0) return source;
	const dir = mkdtempSync(join(tmpdir(), 'mamori-soak-seeds-'));
	for (const entry of readdirSync(source)) if (entry !== 'cities') symlinkSync(join(source, entry), join(dir, entry));
	mkdirSync(join(dir, 'cities'));
	for (const file of readdirSync(join(source, 'cities')))
		symlinkSync(join(source, 'cities', file), join(dir, 'cities', file));
	const template = readFileSync(join(source, 'cities/koganei.yaml'), 'utf8');
	const taken = new Set(['131105', '132101', '012131']);
	const places = readCsv(join(source, 'municipalities.csv'))
		.map((row) => ({ code: String(row.code), name: String(row.name) }))
		.filter((m) => !taken.has(m.code))
		.slice(0, extra);
	places.forEach((place, i) => {
		const slug = `soak-${String(i + 1).padStart(2, '0')}`;
		const text = template
			.replace(/^ {2}slug: koganei$/m, `  slug: ${slug}`)
			.replace(/^ {2}municipalityCode: '132101'$/m, `  municipalityCode: '${place.code}'`)
			.replace(/^ {2}name: 小金井市$/m, `  name: ${place.name}`);
		writeFileSync(join(dir, 'cities', `${slug}.yaml`), text);
	});
	return dir;
}

export async function startOwnStack(options: {
	dataDir?: string;
	/** Cities beyond the three seed cities, each with an editor `editor@<slug>.example`. */
	extraCities?: number;
	/** A proxy the app reaches sqld through instead of sqld's own address, told where sqld is now. */
	via?: { url: string; target(httpUrl: string, sqld: SqldServer['process']): void };
	vars?: Record<string, string>;
	/** A second app on the same databases with these vars besides (e.g. a short database deadline). */
	second?: Record<string, string>;
	log?: (line: string) => void;
}): Promise<OwnStack> {
	const log = options.log ?? (() => {});
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mamori-own-'));
	let sqld = await startSqld({ dataDir, quiet: true });
	options.via?.target(sqld.httpUrl, sqld.process);
	const stopped: Worker[] = [];
	const stop = async () => {
		await Promise.all(stopped.map((w) => w.stop()));
		await sqld.stop();
	};
	try {
		const directory = new SqldDirectory({ httpUrl: sqld.httpUrl, adminUrl: sqld.adminUrl });
		const core = await directory.ensure('core');
		const seedsDir = seedsWithCities(options.extraCities ?? 0);
		const migrated = await migrateFleet({ core, locate: (name) => directory.locate(name) });
		if (migrated.failed.length > 0)
			throw new Error(`migration failed: ${migrated.failed.map((f) => f.slug).join(', ')}`);
		const seeded = await seedAll({ core, directory, seedsDir });
		const cities = seeded.cities.map((c) => c.slug).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
		log(`seeded ${cities.length} cities`);
		const db = openCore(core);
		try {
			const extra = cities.filter((slug) => !SEED_CITIES.includes(slug));
			if (extra.length > 0) {
				const passwordHash = await hashPassword(process.env.MAMORI_DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD);
				const accounts = extra.map((slug) => ({ slug, id: stableId('soak-user', slug) }));
				await db
					.insert(users)
					.values(
						accounts.map((a) => ({
							id: a.id,
							email: `editor@${a.slug}.example`,
							displayName: `編集者 ${a.slug}`,
							passwordHash
						}))
					)
					.onConflictDoNothing();
				await db
					.insert(memberships)
					.values(
						accounts.map((a) => ({ userId: a.id, tenantId: stableId('tenant', a.slug), role: 'editor' as const }))
					)
					.onConflictDoNothing();
			}
			if (options.via)
				await db.run(sql`UPDATE tenants SET database_url = replace(database_url, ${sqld.httpUrl}, ${options.via.url})`);
		} finally {
			db.$client.close();
		}
		const vars = { CORE_DATABASE_URL: options.via ? core.url.replace(sqld.httpUrl, options.via.url) : core.url };
		// Started together: each is a few seconds of cold start. Each its own local state.
		const [web, second] = await Promise.all(
			[{ ...vars, ...options.vars }, ...(options.second ? [{ ...vars, ...options.second }] : [])].map(async (v, i) =>
				startWorker({
					port: await freePort(),
					dataDir: i === 0 ? dataDir : join(dataDir, 'second'),
					vars: v,
					started: (w) => stopped.push(w)
				})
			)
		);
		const httpUrl = sqld.httpUrl;
		return {
			url: web!.url,
			...(second ? { secondUrl: second.url } : {}),
			dataDir,
			get coreUrl() {
				return `${sqld.httpUrl}/dev/core/`;
			},
			get sqld() {
				return sqld;
			},
			cities,
			cityUrl: (slug) => `${sqld.httpUrl}/dev/tenant-${slug}/`,
			async restartSqld() {
				// On its old ports when nothing goes through `via` (the app has them).
				const ports = options.via
					? {}
					: { httpPort: Number(new URL(httpUrl).port), adminPort: Number(new URL(sqld.adminUrl).port) };
				sqld = await startSqld({ dataDir, quiet: true, ...ports });
				options.via?.target(sqld.httpUrl, sqld.process);
				return sqld;
			},
			stop
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

const rank = (slug: string) => (SEED_CITIES.includes(slug) ? SEED_CITIES.indexOf(slug) : SEED_CITIES.length);
