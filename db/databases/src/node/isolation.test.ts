import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryModes, uniqueName } from '../../test/directories.ts';
import { openTenant } from '../client.ts';
import { newId } from '../id.ts';
import { plans } from '../tenant/schema.ts';
import { migrateTenantDatabase } from './fleet.ts';

describe.each(directoryModes)('tenant isolation (%s)', (_mode, makeDirectory) => {
	const directory = makeDirectory();
	const names = { a: uniqueName('iso-a'), b: uniqueName('iso-b') };
	afterAll(async () => {
		await directory.destroy(names.a);
		await directory.destroy(names.b);
	});

	it('a row written to tenant A is absent from tenant B', async () => {
		const locationA = await directory.ensure(names.a);
		const locationB = await directory.ensure(names.b);
		await migrateTenantDatabase(locationA);
		await migrateTenantDatabase(locationB);

		const id = newId();
		const a = openTenant(locationA);
		const b = openTenant(locationB);
		try {
			await a
				.insert(plans)
				.values({ id, title: '目黒区防犯計画', kind: 'plan', levelLabels: ['施策'], initiativeLabel: '主な取組' });
			expect(await a.select().from(plans).where(eq(plans.id, id))).toHaveLength(1);
			expect(await b.select().from(plans).where(eq(plans.id, id))).toHaveLength(0);
			expect(await b.select().from(plans)).toHaveLength(0);
		} finally {
			a.$client.close();
			b.$client.close();
		}
	});

	it('ensure is idempotent and keeps the data', async () => {
		const again = await directory.ensure(names.a);
		const db = openTenant(again);
		try {
			expect(await db.select().from(plans)).toHaveLength(1);
		} finally {
			db.$client.close();
		}
	});
});
