// A tenant context for service tests: the city's database, the core for shared codes, an actor,
// and an authoriser that allows everything unless a test passes its own.
import type { CoreDb, TenantDb } from '@mamori/db';
import { tenantContext, type Actor, type TenantContext, type TenantTarget } from '../src/context.ts';

export function testContext(options: {
	db: TenantDb;
	core: CoreDb;
	tenant?: Partial<TenantTarget>;
	actor?: Actor;
	authorize?: TenantContext['authorize'];
	now?: () => number;
}): TenantContext {
	return tenantContext({
		db: options.db,
		core: options.core,
		tenant: { id: 'test-city', municipalityCode: '000000', prefectureCode: '00', status: 'active', ...options.tenant },
		principal: null,
		actor: options.actor ?? { id: 'user-1', name: 'テスト 担当者' },
		authorize: options.authorize ?? (() => {}),
		...(options.now ? { now: options.now } : {})
	});
}
