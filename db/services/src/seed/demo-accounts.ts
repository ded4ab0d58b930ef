// Demo accounts for local use: an admin, an editor and a viewer per seed city, two prefectural
// officials and an operator, all with one password (MAMORI_DEMO_PASSWORD, default mamori-demo).
// Never in production: seedDemoAccounts refuses, and seedAll leaves them out there.
import { eq } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { memberships, prefectureOfficials, users } from '@mamori/db/core';
import { DEFAULT_DEMO_PASSWORD, hashPassword, verifyPassword } from '../auth/password.ts';
import type { TenantRole } from '../auth/policy.ts';
import { stableId } from './core.ts';

export { DEFAULT_DEMO_PASSWORD };

export interface DemoAccount {
	email: string;
	displayName: string;
	/** `departments`: an editor limited to these departments of the city (by name, as its seed file names them). */
	tenant?: { slug: string; role: TenantRole; departments?: string[] };
	prefectureCode?: string;
	operator?: boolean;
}

const cities = [
	{ slug: 'meguro', name: '目黒区' },
	{ slug: 'koganei', name: '小金井市' },
	{ slug: 'tomakomai', name: '苫小牧市' }
];
// Names a person could have: a display name may not pose as a role or the service (fields.ts
// displayName), so an admin is 課長 and the operator 運用担当, and saving one's name unchanged works.
const roleNames: Record<TenantRole, string> = { admin: '課長', editor: '編集者', viewer: '閲覧者' };

export const demoAccounts: DemoAccount[] = [
	...cities.flatMap((city) =>
		(['admin', 'editor', 'viewer'] as const).map((role) => ({
			email: `${role}@${city.slug}.example`,
			displayName: `${city.name} ${roleNames[role]}（デモ）`,
			tenant: { slug: city.slug, role }
		}))
	),
	{
		email: 'editor-bouhan@koganei.example',
		displayName: '小金井市 地域安全課 編集者（デモ）',
		tenant: { slug: 'koganei', role: 'editor', departments: ['地域安全課'] }
	},
	{ email: 'official@tokyo.example', displayName: '東京都 治安対策担当（デモ）', prefectureCode: '13' },
	{ email: 'official@hokkaido.example', displayName: '北海道 治安対策担当（デモ）', prefectureCode: '01' },
	{ email: 'operator@mamori.example', displayName: '運用担当（デモ）', operator: true }
];

export function demoPassword(env: NodeJS.ProcessEnv = process.env): string {
	return env.MAMORI_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
}

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.MAMORI_ENV === 'production';
}

/**
 * Creates the demo accounts and their memberships; idempotent (an account whose password still
 * matches is left exactly as it is). `tenantIds` maps the seed cities' slugs to tenant ids.
 * The demo password is set directly, outside the password rules: it is known to everyone and
 * exists only on local machines.
 */
export async function seedDemoAccounts(options: {
	core: CoreDb;
	tenantIds: Map<string, string>;
	password: string;
	env?: NodeJS.ProcessEnv;
	idFor: (email: string) => string;
}): Promise<number> {
	if (isProduction(options.env)) throw new Error('Demo accounts are refused when MAMORI_ENV=production.');
	const { core } = options;
	for (const account of demoAccounts) {
		const id = options.idFor(account.email);
		const [existing] = await core.select().from(users).where(eq(users.email, account.email)).limit(1);
		const userId = existing?.id ?? id;
		if (!existing) {
			await core.insert(users).values({
				id,
				email: account.email,
				displayName: account.displayName,
				passwordHash: await hashPassword(options.password),
				isOperator: account.operator ?? false
			});
		} else if (!existing.passwordHash || !(await verifyPassword(existing.passwordHash, options.password)).ok) {
			await core
				.update(users)
				.set({ passwordHash: await hashPassword(options.password) })
				.where(eq(users.id, existing.id));
		}
		const tenant = account.tenant;
		const tenantId = tenant && options.tenantIds.get(tenant.slug);
		if (tenant && tenantId) {
			// The seed gives a city's departments stable ids (city.ts), so they are known here.
			const departmentIds = tenant.departments?.map((name) => stableId(tenant.slug, 'department', name)) ?? null;
			await core
				.insert(memberships)
				.values({ userId, tenantId, role: tenant.role, departmentIds })
				.onConflictDoNothing();
		}
		if (account.prefectureCode)
			await core
				.insert(prefectureOfficials)
				.values({ userId, prefectureCode: account.prefectureCode })
				.onConflictDoNothing();
	}
	return demoAccounts.length;
}
