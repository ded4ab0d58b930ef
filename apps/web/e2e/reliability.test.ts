// Reliability against a stack of its own (its own sqld, reached through a fault proxy, and the
// built app in workerd): 20 parallel saves of one version (one winner, 19 clean conflicts), a short
// soak (simulated editors reading and saving; no error but conflicts, no accepted save lost or
// doubled), then sqld killed and stopped in the middle of a save: the user is told within seconds
// that the outcome is unknown, never "not saved", and a retry cannot apply the save twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnStack, type OwnStack } from '../scripts/own-stack.ts';
import { currentVersion, describeSoak, pickRecords, runSoak, saveRecord, savedTexts } from '../scripts/soak-load.ts';
import { openCore, openTenant } from '@mamori/db';
import { reconcileHistory } from '@mamori/services/history';
import { stableId } from '@mamori/services/node';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.ts';
import { postForm, signInCookie } from './http.ts';

// The app the faults are made under has a short database deadline; the soak's has the default.
const DEADLINE_MS = 2000;
const SOAK_SECONDS = Number(process.env.SOAK_TEST_SECONDS ?? 15);
const UNKNOWN = '保存されたか確認してください';

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
			console.log(`reliability: ${faultCases} fault cases (sqld killed or stopped mid-save and mid-publish)`);
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
				stack.sqld.process.kill('SIGCONT'); // never left hung for the next case
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
			expect(answer.status, body).toBe(answered);
			if (answered === 503) expect(body).toContain(UNKNOWN);
			await stack.restartSqld();
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
});
