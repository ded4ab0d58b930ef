// Reliability against a stack of its own (its own sqld, reached through a fault proxy, and the
// built app in workerd): 20 parallel saves of one version (one winner, 19 clean conflicts), a short
// soak (simulated editors reading and saving; no error but conflicts, no accepted save lost or
// doubled), then sqld killed and stopped in the middle of a save, a publication and a spreadsheet
// import: the user is told within seconds that the outcome is unknown, never "not saved", the
// city holds all of a write or none of it, and a retry cannot apply it twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnStack, type OwnStack } from '../scripts/own-stack.ts';
import { currentVersion, describeSoak, pickRecords, runSoak, saveRecord, savedTexts } from '../scripts/soak-load.ts';
import { openCore, openTenant } from '@mamori/db';
import { reconcileHistory } from '@mamori/services/history';
import { stableId } from '@mamori/services/node';
import { readWorkbook, type Cell } from '../../../db/services/src/sheets/read.ts';
import { xlsxBytes } from '../../../db/services/src/sheets/write.ts';
import { crawledForms, unchangedBody } from './crawl.ts';
import { differences, dump } from './dump.ts';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.ts';
import { linksAndForms } from './html.ts';
import { get, postForm, signInCookie } from './http.ts';
import { storedRows } from './stored.ts';

// The app the faults are made under has a short database deadline; the soak's has the default.
const DEADLINE_MS = 2000;
const SOAK_SECONDS = Number(process.env.SOAK_TEST_SECONDS ?? 15);
const UNKNOWN = '保存されたか確認してください';
/** The plan template's columns (db/services/src/plan-sheet/layout.ts): 取組ID, 版, 施策ID, 施策, 番号, 取組名, … */
const TITLE = 5;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The city's plan template as its admin downloads it from /{slug}/import (prefilled, ids included). */
async function sheetTemplate(appUrl: string, cookie: string, slug: string) {
	const answer = await get(appUrl, `/${slug}/import/template.xlsx`, cookie);
	if (answer.status !== 200) throw new Error(`template of ${slug}: ${answer.status}`);
	const sheets = await readWorkbook(new Uint8Array(await answer.arrayBuffer()), { xls: 'x', unreadable: 'u' });
	return sheets.map((s) => ({ name: s.name!, rows: s.rows.map((r): Cell[] => [...r]) }));
}

/** Uploads the sheets for a preview, as a browser without JavaScript; answers the confirm form's fields as served. */
async function previewedImport(
	appUrl: string,
	cookie: string,
	slug: string,
	sheets: { name: string; rows: Cell[][] }[]
) {
	const upload = new FormData();
	upload.set('file', new Blob([Buffer.from(await xlsxBytes(sheets))], { type: XLSX }), 'plan.xlsx');
	const answer = await postForm(appUrl, `/${slug}/import?/preview`, upload, { cookie });
	const html = await answer.text();
	if (answer.status !== 200) throw new Error(`preview of ${slug}: ${answer.status}`);
	const confirm = crawledForms(linksAndForms(html).forms, new URL(`/${slug}/import`, appUrl)).find((f) =>
		f.action.endsWith('?/confirm')
	);
	if (!confirm) throw new Error(`the preview of ${slug} offers no confirmation`);
	return Object.fromEntries(unchangedBody(confirm));
}

/** A plan document, every initiative of which gets a category suggested (so the proposal is confirmable as served). */
const planDocument = (tag: string) =>
	[
		`交通安全・防犯推進計画（障害の試験 ${tag}）`,
		`1 防犯対策の推進（障害の試験 ${tag}）`,
		'(1) 地域の見守り',
		'・青色防犯パトロールによる巡回（担当：地域安全課）',
		'・防犯カメラの設置補助（担当：地域安全課）',
		'(2) 特殊詐欺対策',
		'・自動通話録音機の貸与（担当：地域安全課）'
	].join('\n');

/** Pastes the document for a preview, as a browser without JavaScript; answers the confirm form's body as served. */
async function previewedDocument(appUrl: string, cookie: string, slug: string, text: string) {
	const answer = await postForm(appUrl, `/${slug}/import/document?/preview`, { text }, { cookie });
	const html = await answer.text();
	if (answer.status !== 200) throw new Error(`document preview of ${slug}: ${answer.status}`);
	const confirm = crawledForms(linksAndForms(html).forms, new URL(`/${slug}/import/document`, appUrl)).find((f) =>
		f.action.endsWith('?/confirm')
	);
	if (!confirm) throw new Error(`the document preview of ${slug} offers no confirmation`);
	const body = new FormData();
	for (const [name, value] of unchangedBody(confirm)) body.append(name, value);
	return body;
}

describe('reliability (a stack of its own)', () => {
	let stack: OwnStack;
	let proxy: FaultProxy;
	let cookie: string;
	let faultCases = 0;
	const city = () => openTenant({ url: stack.cityUrl('koganei') }).$client;

	beforeAll(async () => {
		proxy = await startFaultProxy();
		stack = await startOwnStack({ via: proxy, second: { DATABASE_DEADLINE_MS: String(DEADLINE_MS) } });
		cookie = await signInCookie(stack.url, 'editor@koganei.example');
	}, 180_000);
	afterAll(async () => {
		if (faultCases)
			console.log(
				`reliability: ${faultCases} fault cases (sqld killed or stopped mid-save, mid-publish and mid-import)`
			);
		await proxy?.close();
		await stack?.stop();
	});

	it('20 parallel saves of one version: exactly one is accepted, 19 are clean conflicts, nothing lost or doubled', async () => {
		const db = city();
		try {
			const [record] = await pickRecords(db, 1);
			const texts = Array.from({ length: 20 }, (_, i) => `並行保存 ${i}`);
			const answers = await Promise.all(
				texts.map((text) => saveRecord(stack.url, cookie, 'koganei', record!, record!.version, text))
			);
			const outcomes = answers.map((a) => a.outcome);
			expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
			expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(19);
			const winner = texts[outcomes.indexOf('accepted')]!;
			expect(await currentVersion(db, record!.id)).toEqual({ version: record!.version + 1, text: winner });
			expect((await savedTexts(db, record!)).filter((t) => texts.includes(t))).toEqual([winner]);
		} finally {
			db.close();
		}
	});

	it(`a short soak (${SOAK_SECONDS} s): no error but conflicts, every accepted save present once`, async () => {
		const report = await runSoak({
			appUrl: stack.url,
			cities: stack.cities,
			cityUrl: stack.cityUrl,
			users: 30,
			seconds: SOAK_SECONDS
		});
		console.log(describeSoak(report));
		expect(report.errorSamples).toEqual([]);
		expect(report.accepted).toBeGreaterThan(0);
		expect({ lost: report.lost, doubled: report.doubled }).toEqual({ lost: 0, doubled: 0 });
	}, 120_000);

	const saveCases: { fault: Fault; applied: boolean }[] = [
		{ fault: 'stop-before', applied: true }, // hung: the save waits in sqld and runs when it resumes
		{ fault: 'stop-after', applied: true }, // applied, then hung before answering
		{ fault: 'kill-before', applied: false }, // killed with the save unread
		{ fault: 'kill-after', applied: true } // applied, then killed before answering
	];
	for (const { fault, applied } of saveCases) {
		it(`sqld ${fault.replace('-', ' ')} a save: 503 "check whether it was saved" within seconds; after it is back, a retry applies it once`, async () => {
			faultCases++;
			const db = city();
			let restarted = false;
			try {
				const [, record] = await pickRecords(db, 2);
				const before = await currentVersion(db, record!.id);
				const text = `障害中の保存 ${fault}`;
				const fired = proxy.arm(fault, /tenant-koganei/, /update "yearly_records"/i);
				const started = Date.now();
				const answer = await saveRecord(stack.secondUrl!, cookie, 'koganei', record!, before.version, text);
				const took = Date.now() - started;
				await fired;
				expect(answer.status, answer.body).toBe(503);
				expect(answer.body).toContain(UNKNOWN);
				expect(answer.body).not.toContain('保存されていません');
				// Within a few deadlines (each database request has one), not the client's 45 s.
				expect(took).toBeLessThan(6 * DEADLINE_MS);

				if (fault.startsWith('stop')) {
					// Pages answer 503 too while sqld hangs.
					const page = await fetch(`${stack.secondUrl!}/koganei`, { headers: { cookie, accept: 'text/html' } });
					expect(page.status).toBe(503);
					stack.sqld.process.kill('SIGCONT');
				} else {
					await stack.restartSqld();
					restarted = true;
				}
				const fresh = openTenant({ url: stack.cityUrl('koganei') }).$client;
				try {
					// A stopped sqld runs the waiting save when it resumes: wait for it, as a user rereading the page would.
					let now = await currentVersion(fresh, record!.id);
					for (let i = 0; applied && now.version === before.version && i < 100; i++) {
						await new Promise((r) => setTimeout(r, 100));
						now = await currentVersion(fresh, record!.id);
					}
					expect(now.version).toBe(before.version + (applied ? 1 : 0));
					// The user retries with the version the page had: a conflict if it was saved, saved otherwise.
					const retry = await saveRecord(stack.secondUrl!, cookie, 'koganei', record!, before.version, text);
					expect(retry.outcome).toBe(applied ? 'conflict' : 'accepted');
					expect(await currentVersion(fresh, record!.id)).toEqual({ version: before.version + 1, text });
					expect((await savedTexts(fresh, record!)).filter((t) => t === text)).toHaveLength(1);
				} finally {
					fresh.close();
				}
			} finally {
				db.close();
				// Never left hung or down for the next case, whatever failed above.
				if (!stack.sqld.process.kill('SIGCONT') || (fault.startsWith('kill') && !restarted)) await stack.restartSqld();
			}
		}, 60_000);
	}

	// Publishing writes the core's facts and journal in one batch, then the city's history row.
	const publishCases: { fault: Fault; namespace: RegExp; statement: RegExp; published: boolean; answered: number }[] = [
		// Killed between the two databases: published, the city's history row left pending.
		{
			fault: 'kill-before',
			namespace: /tenant-koganei/,
			statement: /insert into "audit_log"/i,
			published: true,
			answered: 200
		},
		// Killed after the core batch was applied, before its answer: unknown to the user.
		{
			fault: 'kill-after',
			namespace: /dev\/core\//,
			statement: /insert into "history_journal"/i,
			published: true,
			answered: 503
		},
		// Killed with the core batch unread: nothing published, nothing to reconcile.
		{
			fault: 'kill-before',
			namespace: /dev\/core\//,
			statement: /insert into "history_journal"/i,
			published: false,
			answered: 503
		}
	];
	for (const { fault, namespace, statement, published, answered } of publishCases) {
		it(`sqld ${fault.replace('-', ' ')} ${statement.source.replace(/\\/g, '')} of a publication: answered ${answered}; after the reconciler both databases agree`, async () => {
			faultCases++;
			const admin = await signInCookie(stack.secondUrl!, 'admin@koganei.example');
			const tenantId = stableId('tenant', 'koganei');
			const journal = async () => {
				const core = openCore({ url: stack.coreUrl });
				try {
					return (
						await core.$client.execute({
							sql: 'SELECT id, applied_at FROM history_journal WHERE tenant_id = ?',
							args: [tenantId]
						})
					).rows.map((r) => ({ id: String(r.id), applied: r.applied_at !== null }));
				} finally {
					core.$client.close();
				}
			};
			const known = new Set((await journal()).map((j) => j.id));
			const fired = proxy.arm(fault, namespace, statement);
			const answer = await postForm(
				stack.secondUrl!,
				'/koganei/benchmarks?/publish',
				{ fiscalYear: '2019' },
				{ cookie: admin, enhanced: true }
			);
			await fired;
			const body = await answer.text();
			await stack.restartSqld(); // first: a failure below leaves sqld up for the next case
			expect(answer.status, body).toBe(answered);
			if (answered === 503) expect(body).toContain(UNKNOWN);
			const added = (await journal()).filter((j) => !known.has(j.id));
			expect(added.length).toBe(published ? 1 : 0);
			const core = openCore({ url: stack.coreUrl });
			const koganei = openTenant({ url: stack.cityUrl('koganei') }).$client;
			try {
				await reconcileHistory({ core, open: (t) => openTenant({ url: t.databaseUrl }), olderThanMs: 0 });
				// Both sides agree: every journalled row is in the city's history and marked applied.
				for (const { id } of added) {
					const rows = await koganei.execute({ sql: 'SELECT action FROM audit_log WHERE id = ?', args: [id] });
					expect(rows.rows.map((r) => r.action)).toEqual(['publish']);
				}
				expect((await journal()).filter((j) => !j.applied)).toEqual([]);
			} finally {
				koganei.close();
				core.$client.close();
			}
		}, 60_000);
	}

	// A spreadsheet import writes many rows (initiatives changed and added, each with its history
	// row) in one batch. Confirming carries the digest of the change previewed, so a retry of an
	// import that was applied is refused as a conflict (the plan is no longer what was previewed).
	const importCases: { fault: Fault; applied: boolean }[] = [
		{ fault: 'stop-before', applied: true }, // hung: the batch waits in sqld and runs when it resumes
		{ fault: 'kill-before', applied: false }, // killed with the batch unread
		{ fault: 'kill-after', applied: true } // applied, then killed before answering
	];
	for (const { fault, applied } of importCases) {
		it(`sqld ${fault.replace('-', ' ')} a spreadsheet import's batch: 503 "check whether it was saved"; the city holds all of the import or none of it; a retry applies it once`, async () => {
			faultCases++;
			const slug = 'tomakomai';
			const admin = await signInCookie(stack.secondUrl!, `admin@${slug}.example`);
			const sheets = await sheetTemplate(stack.secondUrl!, admin, slug);
			const rows = sheets[0]!.rows;
			// Five titles changed and three initiatives added: eight rows and their history.
			const changed = rows.slice(1, 6).map((row) => (row[TITLE] = `${String(row[TITLE])}（取込中の障害 ${fault}）`));
			const added = [1, 2, 3].map((n) => `取込中の障害で足した取組 ${n}（${fault}）`);
			for (const title of added)
				rows.push([null, null, rows[1]![2]!, null, null, title, '表計算から', rows[1]![7]!, null, rows[1]![9]!]);
			const confirm = await previewedImport(stack.secondUrl!, admin, slug, sheets);

			/** The city's rows (dump.ts: without versions, times and history) and its history's size. */
			const snapshot = async () => {
				const db = openTenant({ url: stack.cityUrl(slug) }).$client;
				try {
					const [{ n }] = (await storedRows(db, 'SELECT count(*) AS n FROM audit_log')) as [{ n: number }];
					return { rows: await dump({ [slug]: db }), history: Number(n) };
				} finally {
					db.close();
				}
			};
			const titles = async () => {
				const db = openTenant({ url: stack.cityUrl(slug) }).$client;
				try {
					const found = await storedRows(
						db,
						`SELECT title FROM initiatives WHERE deleted_at IS NULL AND title IN (${[...changed, ...added].map(() => '?').join(', ')})`,
						[...changed, ...added]
					);
					return found.map((r) => String(r.title));
				} finally {
					db.close();
				}
			};
			const before = await snapshot();

			const fired = proxy.arm(fault, new RegExp(`tenant-${slug}`), /update "initiatives"/i);
			const started = Date.now();
			const answer = await postForm(stack.secondUrl!, `/${slug}/import?/confirm`, confirm, { cookie: admin });
			const took = Date.now() - started;
			await fired;
			const body = await answer.text();
			let restarted = false;
			try {
				expect(answer.status, body).toBe(503);
				expect(body).toContain(UNKNOWN);
				expect(body).not.toContain('保存されていません');
				expect(took).toBeLessThan(6 * DEADLINE_MS);

				if (fault.startsWith('stop')) stack.sqld.process.kill('SIGCONT');
				else {
					await stack.restartSqld();
					restarted = true;
				}
				// A stopped sqld runs the waiting batch when it resumes: wait for it, as a user rereading the page would.
				for (let i = 0; applied && (await titles()).length === 0 && i < 300; i++)
					await new Promise((r) => setTimeout(r, 100));
				const afterFault = await snapshot();
				// All of it or none of it: the rows are exactly as before, or exactly as after the import.
				const imported = (await titles()).length;
				expect(imported).toBe(applied ? changed.length + added.length : 0);

				// The user retries the confirmation they had: refused as a conflict if it was applied, imported otherwise.
				const retry = await postForm(stack.secondUrl!, `/${slug}/import?/confirm`, confirm, { cookie: admin });
				expect(retry.status, await retry.text()).toBe(applied ? 409 : 200);
				const final = await snapshot();
				expect((await titles()).sort()).toEqual([...changed, ...added].sort());
				expect(differences(afterFault.rows, applied ? final.rows : before.rows)).toEqual([]);
				expect(afterFault.history).toBe(applied ? final.history : before.history);
				expect(final.history).toBeGreaterThanOrEqual(before.history + changed.length + added.length);
			} finally {
				// Never left hung or down for the next case, whatever failed above.
				if (!stack.sqld.process.kill('SIGCONT') || (fault.startsWith('kill') && !restarted)) await stack.restartSqld();
			}
		}, 90_000);
	}

	// A plan document's import writes the whole plan it read (headings, initiatives, their
	// departments and categories, its history row) in one batch. Its confirmation carries a key,
	// which the history row takes as its id: the same confirmation sent again fails that batch.
	const documentCases: { fault: Fault; applied: boolean }[] = [
		{ fault: 'stop-before', applied: true },
		{ fault: 'kill-before', applied: false },
		{ fault: 'kill-after', applied: true }
	];
	for (const { fault, applied } of documentCases) {
		it(`sqld ${fault.replace('-', ' ')} a plan document import's batch: 503 "check whether it was saved"; all of it or none; the same confirmation again is refused once it was applied`, async () => {
			faultCases++;
			const slug = 'tomakomai';
			const admin = await signInCookie(stack.secondUrl!, `admin@${slug}.example`);
			const heading = `防犯対策の推進（障害の試験 ${fault}）`;
			const confirm = await previewedDocument(stack.secondUrl!, admin, slug, planDocument(fault));
			const snapshot = async () => {
				const db = openTenant({ url: stack.cityUrl(slug) }).$client;
				try {
					const [{ n }] = (await storedRows(db, 'SELECT count(*) AS n FROM plan_nodes WHERE title = ?', [heading])) as [
						{ n: number }
					];
					return { rows: await dump({ [slug]: db }), imported: Number(n) };
				} finally {
					db.close();
				}
			};
			const before = await snapshot();
			const fired = proxy.arm(fault, new RegExp(`tenant-${slug}`), /insert into "initiatives"/i);
			const started = Date.now();
			const answer = await postForm(stack.secondUrl!, `/${slug}/import/document?/confirm`, confirm, {
				cookie: admin
			});
			const took = Date.now() - started;
			await fired;
			const body = await answer.text();
			let restarted = false;
			try {
				expect(answer.status, body).toBe(503);
				expect(body).toContain(UNKNOWN);
				expect(body).not.toContain('保存されていません');
				expect(took).toBeLessThan(6 * DEADLINE_MS);
				if (fault.startsWith('stop')) stack.sqld.process.kill('SIGCONT');
				else {
					await stack.restartSqld();
					restarted = true;
				}
				let afterFault = await snapshot();
				for (let i = 0; applied && afterFault.imported === 0 && i < 300; i++) {
					await new Promise((r) => setTimeout(r, 100));
					afterFault = await snapshot();
				}
				// All of it or none: the heading once (with everything under it) or the rows exactly as before.
				expect(afterFault.imported).toBe(applied ? 1 : 0);
				if (!applied) expect(differences(before.rows, afterFault.rows)).toEqual([]);

				// The user sends the confirmation they had again: refused if it was applied, imported otherwise.
				const retry = await postForm(stack.secondUrl!, `/${slug}/import/document?/confirm`, confirm, {
					cookie: admin
				});
				const retried = await retry.text();
				const final = await snapshot();
				expect(final.imported).toBe(1);
				if (applied) {
					expect(retry.status, retried).toBe(409);
					expect(retried).toContain('この確認はすでに取り込まれています');
					expect(differences(afterFault.rows, final.rows)).toEqual([]);
				} else expect(retry.status, retried).toBeLessThan(400);
			} finally {
				if (!stack.sqld.process.kill('SIGCONT') || (fault.startsWith('kill') && !restarted)) await stack.restartSqld();
			}
		}, 90_000);
	}
});
