// The soak: simulated users, each an editor of one city, reading the city's pages and saving its
// yearly records through the app over HTTP as a browser does (form posts with the version the
// page showed), for a while. Several users of a city save the same few records, so some saves are
// stale: those must be clean conflicts (409). Afterwards every accepted save is checked against the
// database: each record's version moved exactly once per accepted save (none lost, none applied
// twice, never two winners for one version) and every accepted text is in the record's history.
import { openTenant } from '@mamori/db';

export interface SoakOptions {
	appUrl: string;
	cities: string[];
	/** A city's database, reached directly, to pick the records and check them afterwards. */
	cityUrl(slug: string): string;
	users: number;
	seconds: number;
	/** A user's pause between requests, in ms (uniform between the two). */
	thinkMs?: [number, number];
	/** Of a user's requests, the share that are saves; the rest are page reads. */
	saveShare?: number;
	/** Records per city that its users save (few, so that they meet). */
	recordsPerCity?: number;
	password?: string;
}

export interface SoakReport {
	users: number;
	cities: number;
	seconds: number;
	requests: number;
	reads: number;
	saves: number;
	accepted: number;
	conflicts: number;
	errors: number;
	errorSamples: string[];
	/** Of the errors, saves answered 503 "check whether it was saved" (the deadline passed), and how many of them were applied. */
	unknown: number;
	unknownApplied: number;
	/** Accepted saves missing afterwards (the version did not move for them, or the text is not in the history). */
	lost: number;
	/** Accepted saves that were applied more than once, or two accepted saves of one version. */
	doubled: number;
	p50Ms: number;
	p95Ms: number;
	requestsPerSecond: number;
}

interface Target {
	slug: string;
	cookie: string;
	initiatives: string[];
	records: {
		id: string;
		initiativeId: string;
		fiscalYear: number;
		phase: string;
		departmentId: string | null;
		version: number;
	}[];
}

type Db = ReturnType<typeof openTenant>['$client'];

/** The app's answer to a save whose outcome it cannot know (messages: error_write_unknown). */
const OUTCOME_UNKNOWN = '保存されたか確認してください';

async function signIn(appUrl: string, email: string, password: string): Promise<string> {
	const response = await fetch(`${appUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password })
	});
	const cookie = response.headers
		.getSetCookie()
		.find((c) => c.startsWith('mamori_session='))
		?.split(';')[0];
	if (response.status !== 303 || !cookie) throw new Error(`cannot sign in as ${email}: ${response.status}`);
	return cookie;
}

/** A save of a yearly record as the initiative page's form sends it (enhanced: JSON answer). */
export async function saveRecord(
	appUrl: string,
	cookie: string,
	slug: string,
	record: Target['records'][number],
	version: number,
	text: string
): Promise<{ status: number; outcome: 'accepted' | 'conflict' | 'error'; body: string }> {
	const response = await fetch(`${appUrl}/${slug}/initiatives/${record.initiativeId}?/updateRecord`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: appUrl,
			cookie,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({
			id: record.id,
			version: String(version),
			fiscalYear: String(record.fiscalYear),
			phase: record.phase,
			departmentId: record.departmentId ?? '',
			text
		})
	});
	const body = await response.text();
	let answer: { type?: string; status?: number } = {};
	try {
		answer = JSON.parse(body) as typeof answer;
	} catch {
		/* not JSON: an error */
	}
	const status = answer.status ?? response.status;
	if (response.status === 200 && answer.type === 'success') return { status, outcome: 'accepted', body };
	if (answer.type === 'failure' && status === 409) return { status, outcome: 'conflict', body };
	return { status: response.status, outcome: 'error', body };
}

/** The records a city's users save: the first few live ones in years no closed round locks. */
export async function pickRecords(db: Db, count: number): Promise<Target['records']> {
	const { rows } = await db.execute({
		sql: `SELECT y.id, y.initiative_id, y.fiscal_year, y.phase, y.department_id, y.version FROM yearly_records y
			JOIN initiatives i ON i.id = y.initiative_id
			WHERE y.deleted_at IS NULL AND i.deleted_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM reporting_rounds r WHERE r.fiscal_year = y.fiscal_year AND r.state = 'closed')
			ORDER BY y.id LIMIT ?`,
		args: [count]
	});
	return rows.map((r) => ({
		id: String(r.id),
		initiativeId: String(r.initiative_id),
		fiscalYear: Number(r.fiscal_year),
		phase: String(r.phase),
		departmentId: r.department_id === null ? null : String(r.department_id),
		version: Number(r.version)
	}));
}

export async function currentVersion(db: Db, id: string): Promise<{ version: number; text: string }> {
	const { rows } = await db.execute({ sql: 'SELECT version, text FROM yearly_records WHERE id = ?', args: [id] });
	return { version: Number(rows[0]!.version), text: String(rows[0]!.text) };
}

/** The texts a record's history holds for its updates (each accepted save writes one, under its initiative). */
export async function savedTexts(db: Db, record: { id: string; initiativeId: string }): Promise<string[]> {
	const { rows } = await db.execute({
		sql: `SELECT json_extract(after, '$.record.text') AS text FROM audit_log
			WHERE entity = 'initiative' AND entity_id = ? AND action = 'update' AND json_extract(after, '$.record.id') = ?`,
		args: [record.initiativeId, record.id]
	});
	return rows.map((r) => String(r.text));
}

const percentile = (sorted: number[], p: number) =>
	sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
	const password = options.password ?? process.env.MAMORI_DEMO_PASSWORD ?? 'mamori-demo';
	const [thinkMin, thinkMax] = options.thinkMs ?? [200, 1000];
	const saveShare = options.saveShare ?? 0.25;
	const dbs = new Map(options.cities.map((slug) => [slug, openTenant({ url: options.cityUrl(slug) }).$client]));
	try {
		const targets: Target[] = [];
		for (const slug of options.cities) {
			const db = dbs.get(slug)!;
			const [cookie, records, initiatives] = await Promise.all([
				signIn(options.appUrl, `editor@${slug}.example`, password),
				pickRecords(db, options.recordsPerCity ?? 4),
				db.execute('SELECT id FROM initiatives WHERE deleted_at IS NULL ORDER BY id LIMIT 20')
			]);
			targets.push({ slug, cookie, records, initiatives: initiatives.rows.map((r) => String(r.id)) });
		}
		const initial = new Map(targets.flatMap((t) => t.records.map((r) => [r.id, r.version] as const)));
		const accepted = new Map<string, { basedOn: number; text: string }[]>();
		// Saves answered "unknown outcome": each may have been applied, once, or not at all.
		const unknown = new Map<string, string[]>();
		const latencies: number[] = [];
		const errorSamples: string[] = [];
		const count = { reads: 0, saves: 0, accepted: 0, conflicts: 0, errors: 0 };
		const started = Date.now();
		const end = started + options.seconds * 1000;
		const error = (what: string) => {
			count.errors++;
			if (errorSamples.length < 10) errorSamples.push(what);
		};

		const user = async (n: number) => {
			const target = targets[n % targets.length]!;
			const known = new Map(target.records.map((r) => [r.id, r.version]));
			let seq = 0;
			// Users start spread over the first pause, not all at once.
			await new Promise((r) => setTimeout(r, Math.random() * thinkMax));
			while (Date.now() < end) {
				const at = performance.now();
				if (Math.random() < saveShare && target.records.length > 0) {
					const record = target.records[Math.floor(Math.random() * target.records.length)]!;
					const version = known.get(record.id)!;
					const text = `soak u${n} #${++seq} ${target.slug}`;
					count.saves++;
					try {
						const answer = await saveRecord(options.appUrl, target.cookie, target.slug, record, version, text);
						latencies.push(performance.now() - at);
						if (answer.outcome === 'accepted') {
							count.accepted++;
							known.set(record.id, version + 1);
							const list = accepted.get(record.id) ?? [];
							list.push({ basedOn: version, text });
							accepted.set(record.id, list);
						} else if (answer.outcome === 'conflict') {
							count.conflicts++;
							// As the page does: it shows the row as saved now, with its version.
							known.set(record.id, (await currentVersion(dbs.get(target.slug)!, record.id)).version);
						} else {
							if (answer.status === 503 && answer.body.includes(OUTCOME_UNKNOWN))
								unknown.set(record.id, [...(unknown.get(record.id) ?? []), text]);
							error(`save ${answer.status}: ${answer.body.slice(0, 200)}`);
						}
					} catch (e) {
						error(`save: ${String(e)}`);
					}
				} else {
					const path =
						Math.random() < 0.5 || target.initiatives.length === 0
							? `/${target.slug}`
							: `/${target.slug}/initiatives/${target.initiatives[Math.floor(Math.random() * target.initiatives.length)]}`;
					count.reads++;
					try {
						const response = await fetch(`${options.appUrl}${path}`, {
							headers: { cookie: target.cookie, accept: 'text/html' },
							redirect: 'manual'
						});
						await response.arrayBuffer();
						latencies.push(performance.now() - at);
						if (response.status !== 200) error(`GET ${path} ${response.status}`);
					} catch (e) {
						error(`GET ${path}: ${String(e)}`);
					}
				}
				await new Promise((r) => setTimeout(r, thinkMin + Math.random() * (thinkMax - thinkMin)));
			}
		};
		await Promise.all(Array.from({ length: options.users }, (_, n) => user(n)));
		const seconds = (Date.now() - started) / 1000;

		// Every accepted save, in the database afterwards.
		let lost = 0;
		let doubled = 0;
		let unknownApplied = 0;
		for (const target of targets) {
			const db = dbs.get(target.slug)!;
			for (const record of target.records) {
				const saves = accepted.get(record.id) ?? [];
				const now = await currentVersion(db, record.id);
				const moved = now.version - initial.get(record.id)!;
				const history = await savedTexts(db, record);
				const maybe = unknown.get(record.id) ?? [];
				const applied = maybe.filter((text) => history.includes(text));
				unknownApplied += applied.length;
				for (const text of applied) if (history.filter((t) => t === text).length > 1) doubled++;
				const expected = saves.length + applied.length;
				if (moved < expected) lost += expected - moved;
				if (moved > expected) doubled += moved - expected;
				doubled += saves.length - new Set(saves.map((s) => s.basedOn)).size;
				for (const save of saves) {
					const times = history.filter((t) => t === save.text).length;
					if (times === 0) lost++;
					if (times > 1) doubled += times - 1;
				}
				const last = saves.toSorted((a, b) => b.basedOn - a.basedOn)[0];
				if (last && now.text !== last.text && !applied.includes(now.text)) lost++;
			}
		}
		latencies.sort((a, b) => a - b);
		return {
			users: options.users,
			cities: options.cities.length,
			seconds,
			requests: count.reads + count.saves,
			...count,
			errorSamples,
			unknown: [...unknown.values()].flat().length,
			unknownApplied,
			lost,
			doubled,
			p50Ms: Math.round(percentile(latencies, 50)),
			p95Ms: Math.round(percentile(latencies, 95)),
			requestsPerSecond: Math.round((count.reads + count.saves) / seconds)
		};
	} finally {
		for (const db of dbs.values()) db.close();
	}
}

export function describeSoak(r: SoakReport): string {
	return (
		`soak: ${r.users} users across ${r.cities} cities for ${r.seconds.toFixed(1)} s: ${r.requests} requests ` +
		`(${r.reads} reads, ${r.saves} saves; ${r.requestsPerSecond}/s), p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms; ` +
		`${r.accepted} saves accepted, ${r.conflicts} conflicts (409), ${r.errors} errors` +
		(r.unknown > 0
			? ` (${r.unknown} saves answered "check whether it was saved", ${r.unknownApplied} of them applied)`
			: '') +
		`, ${r.lost} lost, ${r.doubled} doubled`
	);
}
