// Every versioned write goes through versionedWrite: a version that moved on between the read and
// the write (another editor's save landing in between) is a ConflictError carrying the row as it
// is saved now, never a 500, never the stale copy.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, type TenantDb } from '@mamori/db';
import { departments, initiatives } from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import {
	ConflictError,
	createDepartment,
	deleteDepartment,
	deleteInitiative,
	listDepartments,
	readInitiative,
	readPlanOverview,
	restoreInitiative,
	updateInitiative,
	type TenantContext
} from '../index.ts';

/** The database, but the first batch that writes is preceded by `interfere` (another editor's save). */
export function raceOnce(db: TenantDb, interfere: () => Promise<unknown>): TenantDb {
	let armed = true;
	const writes = (items: unknown[]) =>
		items.some((i) => /^(update|delete|insert)/i.test((i as { toSQL?: () => { sql: string } }).toSQL?.().sql ?? ''));
	return new Proxy(db, {
		get(target, prop) {
			if (prop === 'batch')
				return async (items: unknown[]) => {
					if (armed && writes(items)) {
						armed = false;
						await interfere();
					}
					return target.batch(items as unknown as Parameters<TenantDb['batch']>[0]);
				};
			const value = Reflect.get(target, prop, target) as unknown;
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
		}
	});
}

describe('versioned writes under a race (real sqld, 目黒区 seed)', () => {
	let db: TenantDb;
	let ctx: TenantContext;
	let raced: (interfere: () => Promise<unknown>) => TenantContext;
	let initiativeId: string;

	beforeAll(async () => {
		const city = await seededCity('meguro');
		db = city.db;
		const core = openCore(city.core);
		ctx = testContext({ db, core });
		raced = (interfere) => testContext({ db: raceOnce(db, interfere), core });
		initiativeId = (await readPlanOverview({ ctx, input: {} })).initiatives[0]!.id;
	});

	it('deleting a department whose version moved on is a conflict with the department as saved now', async () => {
		const { id } = await createDepartment({ ctx, input: { name: '競合テスト課' } });
		const before = (await listDepartments({ ctx })).find((d) => d.id === id)!;
		const interfere = () =>
			db
				.update(departments)
				.set({ name: '別の人が改名した課', version: before.version + 1 })
				.where(eq(departments.id, id));
		const error = await deleteDepartment({ ctx: raced(interfere), input: { id, version: before.version } }).catch(
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ConflictError);
		expect((error as ConflictError<{ name: string; version: number }>).current).toMatchObject({
			name: '別の人が改名した課',
			version: before.version + 1
		});
		expect((await listDepartments({ ctx })).find((d) => d.id === id)?.name).toBe('別の人が改名した課');
	});

	it('restoring an initiative whose version moved on is a conflict with the initiative as saved now', async () => {
		const { version } = (await readInitiative({ ctx, input: { id: initiativeId } })).initiative;
		await deleteInitiative({ ctx, input: { id: initiativeId, version } });
		const interfere = () =>
			db
				.update(initiatives)
				.set({ title: '別の人が先に復元', deletedAt: null, version: version + 2 })
				.where(eq(initiatives.id, initiativeId));
		const error = await restoreInitiative({ ctx: raced(interfere), input: { id: initiativeId } }).catch(
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ConflictError);
		expect((error as ConflictError<{ title: string; deleted: boolean }>).current).toMatchObject({
			title: '別の人が先に復元',
			version: version + 2,
			deleted: false
		});
	});

	it('an update that loses the race carries the row re-read after the refusal, not the stale copy', async () => {
		const detail = await readInitiative({ ctx, input: { id: initiativeId } });
		const { version } = detail.initiative;
		const interfere = () =>
			db
				.update(initiatives)
				.set({ title: '同時に保存された題名', version: version + 1 })
				.where(eq(initiatives.id, initiativeId));
		const error = await updateInitiative({
			ctx: raced(interfere),
			input: {
				id: initiativeId,
				version,
				title: '私の変更',
				departmentIds: detail.departments.map((d) => d.id),
				categoryCodes: detail.categoryCodes
			}
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ConflictError);
		expect((error as ConflictError<{ title: string }>).current).toMatchObject({
			title: '同時に保存された題名',
			version: version + 1
		});
		expect((await readInitiative({ ctx, input: { id: initiativeId } })).initiative.title).toBe('同時に保存された題名');
	});
});
