// Every message a service can return is a catalogue key that exists in both languages, and the
// English catalogue words it without Japanese: form schemas and verbs with invalid input, read in
// English, show no kana or kanji.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CoreDb, TenantDb } from '@mamori/db';
import en from '../../../apps/web/messages/en.json';
import ja from '../../../apps/web/messages/ja.json';
import * as forms from './domain/forms.ts';
import { InvalidError, issuesOf, type FieldIssues, type Message } from './errors.ts';
import { coreContext } from './context.ts';
import * as services from './index.ts';
import { inviteMember, changeMemberRole } from './auth/members.ts';
import { publishFiscalYear } from './benchmarks/publish.ts';
import { testContext } from '../test/context.ts';
import { worded } from '../test/words.ts';

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** Every key a message names, params included. */
function keysOf(issues: FieldIssues): string[] {
	const out: string[] = [];
	const visit = (m: Message) => {
		out.push(m.key);
		for (const p of Object.values(m.params ?? {})) if (typeof p === 'object') visit(p);
	};
	Object.values(issues).forEach(visit);
	return out;
}

function expectEnglish(issues: FieldIssues) {
	expect(Object.keys(issues).length).toBeGreaterThan(0);
	for (const key of keysOf(issues)) {
		expect(en, `en has ${key}`).toHaveProperty([key]);
		expect(ja, `ja has ${key}`).toHaveProperty([key]);
	}
	for (const [field, text] of Object.entries(worded(issues, 'en')))
		expect(text, `${field}: ${text}`).not.toMatch(JAPANESE);
}

const bad = {
	version: 'x',
	title: '',
	description: 'x'.repeat(20_001),
	planRef: 'x'.repeat(51),
	categoryCodes: ['Not A Code'],
	code: 'x'.repeat(21),
	summary: 'x'.repeat(20_001),
	fiscalYear: '令和',
	phase: 'later',
	text: '',
	metrics: [{ label: '', value: 'many', unit: '', indicatorCode: 'Bad Code' }],
	periodKind: 'week',
	periodYear: '1900',
	value: 'n/a',
	status: 'maybe',
	note: 'x'.repeat(2_001),
	name: '',
	unit: '',
	direction: 'sideways',
	baselineValue: 'x',
	baselineYear: '2030',
	targetYear: '2020',
	sharedIndicatorCode: 'Bad',
	nodeId: '',
	id: ''
};

describe('service messages in English', () => {
	it('every form schema refuses bad input with English messages only', () => {
		const schemas = Object.entries(forms as Record<string, unknown>).filter(
			(entry): entry is [string, { safeParse: (v: unknown) => { success: boolean; error?: unknown } }] =>
				typeof (entry[1] as { safeParse?: unknown }).safeParse === 'function'
		);
		expect(schemas.length).toBeGreaterThanOrEqual(20);
		let refused = 0;
		for (const [name, schema] of schemas) {
			const result = schema.safeParse(bad);
			if (result.success) continue; // lenient ones (overview filters) take anything
			refused++;
			const issues = issuesOf(result.error as Parameters<typeof issuesOf>[0]);
			expect(Object.keys(issues).length, name).toBeGreaterThan(0);
			expectEnglish(issues);
		}
		expect(refused).toBeGreaterThanOrEqual(18);
		// The 20,001st character and the field's name reach the message as params.
		const long = forms.initiativeForm.safeParse({ ...bad, version: 1, title: 'x' });
		expect(worded(issuesOf(long.error!), 'en').description).toBe(
			'The initiative description must be 20,000 characters or fewer.'
		);
	});

	it('every verb parses its own input and refuses it with English messages only', async () => {
		// The verbs refuse before touching a database: these handles are never used.
		const ctx = testContext({ db: {} as TenantDb, core: {} as CoreDb });
		const core = { ...coreContext({ core: {} as CoreDb, principal: null }), authorize: () => {} };
		const members = { ...core, tenant: { id: 't', prefectureCode: '13', status: 'active' as const } };
		const verbs: [string, () => Promise<unknown>][] = [
			['updateInitiative', () => services.updateInitiative({ ctx, input: bad })],
			['createInitiative', () => services.createInitiative({ ctx, input: bad })],
			['deleteInitiative', () => services.deleteInitiative({ ctx, input: bad })],
			['restoreInitiative', () => services.restoreInitiative({ ctx, input: {} })],
			['moveInitiative', () => services.moveInitiative({ ctx, input: bad })],
			['readInitiative', () => services.readInitiative({ ctx, input: { id: 7 } })],
			['createNode', () => services.createNode({ ctx, input: bad })],
			['updateNode', () => services.updateNode({ ctx, input: bad })],
			['deleteNode', () => services.deleteNode({ ctx, input: bad })],
			['moveNode', () => services.moveNode({ ctx, input: bad })],
			['addYearlyRecord', () => services.addYearlyRecord({ ctx, input: bad })],
			['updateYearlyRecord', () => services.updateYearlyRecord({ ctx, input: bad })],
			['deleteYearlyRecord', () => services.deleteYearlyRecord({ ctx, input: bad })],
			['restoreYearlyRecord', () => services.restoreYearlyRecord({ ctx, input: bad })],
			['addMetric', () => services.addMetric({ ctx, input: bad })],
			['updateMetric', () => services.updateMetric({ ctx, input: bad })],
			['deleteMetric', () => services.deleteMetric({ ctx, input: bad })],
			['deleteKpiValue', () => services.deleteKpiValue({ ctx, input: bad })],
			['restoreVersion', () => services.restoreVersion({ ctx, input: bad })],
			['createKpi', () => services.createKpi({ ctx, input: bad })],
			['updateKpi', () => services.updateKpi({ ctx, input: bad })],
			['setKpiValue', () => services.setKpiValue({ ctx, input: bad })],
			['createDepartment', () => services.createDepartment({ ctx, input: bad })],
			['renameDepartment', () => services.renameDepartment({ ctx, input: bad })],
			['deleteDepartment', () => services.deleteDepartment({ ctx, input: bad })],
			['listHistory', () => services.listHistory({ ctx, input: { limit: 0 } })],
			['publishFiscalYear', () => publishFiscalYear({ ctx, input: bad })],
			['inviteMember', () => inviteMember({ ctx: members, input: { email: 'not mail', role: 'owner' } })],
			['changeMemberRole', () => changeMemberRole({ ctx: members, input: { userId: '', role: 'x' } })],
			[
				'createTenant',
				() =>
					services.createTenant({
						ctx: core,
						directory: {} as never,
						input: { municipalityCode: '131106', slug: 'login', adminEmail: 'x' }
					})
			]
		];
		for (const [name, run] of verbs) {
			const error = await run().catch((e: unknown) => e);
			expect(error, name).toBeInstanceOf(InvalidError);
			expectEnglish((error as InvalidError).issues);
		}
	});

	it('every catalogue key the services name exists in both languages, and English has no Japanese', () => {
		const root = fileURLToPath(new URL('.', import.meta.url));
		const files = (dir: string): string[] =>
			readdirSync(dir).flatMap((f) => {
				const path = join(dir, f);
				return statSync(path).isDirectory()
					? files(path)
					: path.endsWith('.ts') && !path.endsWith('.test.ts')
						? [path]
						: [];
			});
		const named = new Set<string>();
		const pattern =
			/(?:key: |zodMessage\(|\bm\(|invalid\('[\w.]+', )'((?:validation|error|members|field)_[a-z0-9_]+)'/g;
		// Field names: `f.title('kpi_name')`, `trimmed(50, 'plan_ref')`, `numberFromText('value')` …
		const field =
			/\b(?:fieldName|title|longText|trimmed|required|numberFromText|optionalNumberFromText|yearFromText|optionalYearFromText)\((?:[\w.]+, )?'([a-z_]+)'\)/g;
		for (const file of files(root)) {
			const text = readFileSync(file, 'utf8');
			for (const match of text.matchAll(pattern)) named.add(match[1]!);
			for (const match of text.matchAll(field)) named.add(`validation_field_${match[1]!}`);
		}
		expect(named.size).toBeGreaterThan(50);
		for (const key of named) {
			expect(ja, key).toHaveProperty([key]);
			expect((en as Record<string, string>)[key], key).not.toMatch(JAPANESE);
		}
	});
});
