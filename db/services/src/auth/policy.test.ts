// The role matrix: each role × each kind of action, allowed or refused, with principals loaded
// from real sessions of the demo accounts (so memberships and offices come from the database).
import { beforeAll, describe, expect, it } from 'vitest';
import { authWorld, PASSWORD, type AuthWorld } from '../../test/auth-world.ts';
import { actions, decide, permissions, type Principal, type Target } from './policy.ts';
import { validateSessionToken } from './session.ts';
import { signIn } from './sign-in.ts';

describe('the one authoriser: role matrix', () => {
	let world: AuthWorld;
	const who: Record<string, Principal | null> = { anonymous: null };

	beforeAll(async () => {
		world = await authWorld();
		const accounts = {
			'meguro admin': 'admin@meguro.example',
			'meguro editor': 'editor@meguro.example',
			'meguro viewer': 'viewer@meguro.example',
			'koganei admin': 'admin@koganei.example',
			'Tokyo official': 'official@tokyo.example',
			'Hokkaido official': 'official@hokkaido.example',
			operator: 'operator@mamori.example'
		};
		for (const [name, email] of Object.entries(accounts)) {
			const result = await signIn({ core: world.core, input: { email, password: PASSWORD } });
			if (!result.ok) throw new Error(`cannot sign in as ${email}`);
			who[name] = (await validateSessionToken({ core: world.core, token: result.token }))!.principal;
		}
		// A meguro editor limited to one department (d-safety).
		const editor = who['meguro editor']!;
		who['meguro editor (d-safety only)'] = {
			...editor,
			memberships: editor.memberships.map((m) => ({ ...m, departmentIds: ['d-safety'] }))
		};
	});

	it('every action has a rule, and the table is what the issue specifies', () => {
		expect(Object.keys(permissions).sort()).toEqual([...actions].sort());
	});

	it('each role × each kind of action', () => {
		const meguro = world.tenant('meguro');
		const cases: [string, string, Target][] = [
			['public', 'public', {}],
			['session', 'session', {}],
			['plan.public', '目黒区 resident page, not opened', { tenant: meguro }],
			['plan.public', '目黒区 resident page, opened', { tenant: { ...meguro, residentPage: true } }],
			[
				'plan.public',
				'目黒区 resident page, opened, city suspended',
				{ tenant: { ...meguro, residentPage: true, status: 'suspended' } }
			],
			['plan.read', 'read 目黒区 plan', { tenant: meguro }],
			['plan.read', 'read 目黒区 plan (service)', { tenant: meguro, departments: 'all' }],
			['plan.edit', 'edit 目黒区 (route)', { tenant: meguro }],
			['plan.edit', 'edit 目黒区 plan tree', { tenant: meguro, departments: 'all' }],
			['plan.edit', 'edit d-safety initiative', { tenant: meguro, departments: ['d-safety', 'd-roads'] }],
			['plan.edit', 'edit d-roads initiative', { tenant: meguro, departments: ['d-roads'] }],
			['plan.comment', 'comment on d-roads initiative', { tenant: meguro, departments: ['d-roads'] }],
			['members.manage', 'manage 目黒区 members', { tenant: meguro }],
			['plan.publish', 'publish 目黒区 figures', { tenant: meguro }],
			['round.manage', 'manage 目黒区 rounds', { tenant: meguro }],
			['benchmark.read', 'benchmarks of 東京都', { prefectureCode: '13' }],
			['benchmark.read', 'benchmarks of 北海道', { prefectureCode: '01' }],
			['operator.console', 'operator console', {}],
			['operator.tenants', 'create/suspend tenants', {}]
		];
		const matrix = Object.fromEntries(
			cases.map(([action, label, target]) => [
				label,
				Object.fromEntries(
					Object.entries(who).map(([name, principal]) => {
						const d = decide(principal, action as (typeof actions)[number], target);
						return [name, d.allowed ? '✓' : d.reason];
					})
				)
			])
		);
		const row = (cells: string) => {
			const names = Object.keys(who);
			const values = cells.trim().split(/\s+/);
			return Object.fromEntries(names.map((n, i) => [n, values[i] === '✓' ? '✓' : values[i]]));
		};
		// Columns: anonymous, meguro admin, meguro editor, meguro viewer, koganei admin,
		// Tokyo official, Hokkaido official, operator, meguro editor (d-safety only).
		const u = 'unauthenticated';
		const f = 'forbidden';
		const h = 'hidden';
		expect(matrix).toEqual({
			public: row(`✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓`),
			session: row(`${u} ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓`),
			// Hidden, to its own admin too: answered as a city that does not exist.
			'目黒区 resident page, not opened': row(`${h} ${h} ${h} ${h} ${h} ${h} ${h} ${h} ${h}`),
			'目黒区 resident page, opened': row(`✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓`),
			'目黒区 resident page, opened, city suspended': row(`${h} ${h} ${h} ${h} ${h} ${h} ${h} ${h} ${h}`),
			'read 目黒区 plan': row(`${u} ✓ ✓ ✓ ${f} ${f} ${f} ${f} ✓`),
			'read 目黒区 plan (service)': row(`${u} ✓ ✓ ✓ ${f} ${f} ${f} ${f} ✓`),
			'edit 目黒区 (route)': row(`${u} ✓ ✓ ${f} ${f} ${f} ${f} ${f} ✓`),
			'edit 目黒区 plan tree': row(`${u} ✓ ✓ ${f} ${f} ${f} ${f} ${f} ${f}`),
			'edit d-safety initiative': row(`${u} ✓ ✓ ${f} ${f} ${f} ${f} ${f} ✓`),
			'edit d-roads initiative': row(`${u} ✓ ✓ ${f} ${f} ${f} ${f} ${f} ${f}`),
			// Any editor of the city comments on any initiative: a department limit restricts changes only.
			'comment on d-roads initiative': row(`${u} ✓ ✓ ${f} ${f} ${f} ${f} ${f} ✓`),
			'manage 目黒区 members': row(`${u} ✓ ${f} ${f} ${f} ${f} ${f} ${f} ${f}`),
			'publish 目黒区 figures': row(`${u} ✓ ${f} ${f} ${f} ${f} ${f} ${f} ${f}`),
			'manage 目黒区 rounds': row(`${u} ✓ ${f} ${f} ${f} ${f} ${f} ${f} ${f}`),
			'benchmarks of 東京都': row(`${u} ${f} ${f} ${f} ${f} ✓ ${f} ✓ ${f}`),
			'benchmarks of 北海道': row(`${u} ${f} ${f} ${f} ${f} ${f} ✓ ✓ ${f}`),
			'operator console': row(`${u} ${f} ${f} ${f} ${f} ${f} ${f} ✓ ${f}`),
			'create/suspend tenants': row(`${u} ${f} ${f} ${f} ${f} ${f} ${f} ✓ ${f}`)
		});
	});

	it('a prefectural official never reads a city’s plan, even in their own prefecture', () => {
		expect(decide(who['Tokyo official']!, 'plan.read', { tenant: world.tenant('meguro') })).toEqual({
			allowed: false,
			reason: 'forbidden'
		});
	});

	it('a suspended city: its members are told so; everyone else is refused as before', () => {
		const suspended = { ...world.tenant('meguro'), status: 'suspended' as const };
		expect(decide(who['meguro viewer']!, 'plan.read', { tenant: suspended })).toEqual({
			allowed: false,
			reason: 'suspended'
		});
		expect(decide(who['meguro admin']!, 'members.manage', { tenant: suspended })).toEqual({
			allowed: false,
			reason: 'suspended'
		});
		expect(decide(who['koganei admin']!, 'plan.read', { tenant: suspended })).toEqual({
			allowed: false,
			reason: 'forbidden'
		});
	});
});
