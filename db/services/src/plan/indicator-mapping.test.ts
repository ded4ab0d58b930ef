// A figure feeds a shared indicator only when it fits it (real sqld, 小金井市 seed): its unit (or a
// declared alias), its period kind and whether it is a stock or a flow. A misfit is refused with
// the reason on the field, and nothing is written.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, type TenantDb } from '@mamori/db';
import { indicators, metrics } from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import {
	addMetric,
	addYearlyRecord,
	createKpi,
	InvalidError,
	readPlanOverview,
	updateKpi,
	updateMetric,
	type TenantContext
} from '../index.ts';

describe('mapping a figure to a shared indicator', () => {
	let db: TenantDb;
	let ctx: TenantContext;
	let recordId: string;
	let nodeId: string;
	const metricsOfRecord = () => db.select().from(metrics).where(eq(metrics.recordId, recordId));
	/** A figure added to the record: label, number, unit, the indicator it feeds, stock or flow. */
	const add = (label: string, value: string, unit: string, indicatorCode: string, stockFlow: string) =>
		addMetric({ ctx, input: { recordId, label, value, unit, indicatorCode, stockFlow } });
	const refusal = async (write: Promise<unknown>) => {
		const error = await write.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(InvalidError);
		return (error as InvalidError).issues;
	};

	beforeAll(async () => {
		const city = await seededCity('koganei');
		db = city.db;
		ctx = testContext({ db, core: openCore(city.core) });
		const overview = await readPlanOverview({ ctx, input: { q: 'CoCoパトロール隊' } });
		const initiativeId = overview.initiatives[0]!.id;
		nodeId = overview.initiatives[0]!.nodeId;
		({ id: recordId } = await addYearlyRecord({
			ctx,
			input: { initiativeId, fiscalYear: '2020', phase: 'actual', text: '・パトロール回数 480回', metrics: [] }
		}));
	});

	it('refuses a unit that is neither the indicator’s nor an alias (回 is not 件), naming both', async () => {
		const issues = await refusal(add('パトロール', '480', '件', 'patrol_runs', 'flow'));
		expect(issues).toEqual({
			indicatorCode: { key: 'error_indicator_unit', params: { unit: '件', expected: '回・回/年' } }
		});
		expect(await metricsOfRecord()).toEqual([]);
	});

	it('refuses a fiscal-year figure for a calendar-year indicator (police counts are by 年)', async () => {
		const issues = await refusal(add('刑法犯', '900', '件', 'penal_code_offences', 'flow'));
		expect(issues.indicatorCode).toEqual({
			key: 'error_indicator_period_kind',
			params: { expected: { key: 'period_calendar_year' } }
		});
		expect(await metricsOfRecord()).toEqual([]);
	});

	it('refuses a flow, or a figure not said to be either, for a stock indicator', async () => {
		for (const stockFlow of ['flow', '']) {
			const issues = await refusal(add('車両数', '15', '台', 'patrol_vehicles', stockFlow));
			expect(issues.indicatorCode).toEqual({
				key: 'error_indicator_stock_flow',
				params: { expected: { key: 'stock_flow_stock' } }
			});
		}
		expect(await metricsOfRecord()).toEqual([]);
	});

	it('accepts a fitting figure (回/年 is an alias of 回), and refuses the same misfit on an edit', async () => {
		const { id } = await addMetric({
			ctx,
			input: {
				recordId,
				label: 'パトロール回数',
				value: '480',
				unit: '回/年',
				indicatorCode: 'patrol_runs',
				stockFlow: 'flow',
				status: 'provisional'
			}
		});
		const [saved] = await metricsOfRecord();
		expect(saved).toMatchObject({ id, indicatorCode: 'patrol_runs', stockFlow: 'flow', status: 'provisional' });
		const issues = await refusal(
			updateMetric({
				ctx,
				input: {
					id,
					version: saved!.version,
					label: 'パトロール回数',
					value: '480',
					unit: 'km',
					indicatorCode: 'patrol_runs',
					stockFlow: 'flow'
				}
			})
		);
		expect(issues.indicatorCode?.key).toBe('error_indicator_unit');
		expect((await metricsOfRecord())[0]).toMatchObject({ unit: '回/年', version: saved!.version });
	});

	it('a KPI: refuses a misfit of unit, period kind or stock/flow; accepts one that fits', async () => {
		const kpi = {
			nodeId,
			name: '防犯メール登録者数',
			unit: '人',
			direction: 'higher',
			baselineValue: '10000',
			baselineYear: '2020',
			baselinePeriodKind: 'fiscal_year',
			targetValue: '12000',
			targetYear: '2025',
			sharedIndicatorCode: 'alert_mail_subscribers',
			stockFlow: 'stock'
		};
		const before = (await db.select().from(indicators)).length;
		const cases: [Record<string, string>, string][] = [
			[{ unit: '件' }, 'error_indicator_unit'],
			[{ baselinePeriodKind: 'calendar_year' }, 'error_indicator_period_kind'],
			[{ stockFlow: 'flow' }, 'error_indicator_stock_flow']
		];
		for (const [change, key] of cases) {
			const issues = await refusal(createKpi({ ctx, input: { ...kpi, ...change } }));
			expect(issues.sharedIndicatorCode?.key).toBe(key);
		}
		expect(await db.select().from(indicators)).toHaveLength(before);
		const { id } = await createKpi({ ctx, input: { ...kpi, baselineStatus: 'final' } });
		const [row] = await db.select().from(indicators).where(eq(indicators.id, id));
		expect(row).toMatchObject({ stockFlow: 'stock', baselinePeriodKind: 'fiscal_year', baselineStatus: 'final' });
		const issues = await refusal(updateKpi({ ctx, input: { ...kpi, id, version: row!.version, stockFlow: '' } }));
		expect(issues.sharedIndicatorCode?.key).toBe('error_indicator_stock_flow');
	});

	it('a figure of a plan is planned, never final', async () => {
		const overview = await readPlanOverview({ ctx, input: { q: 'CoCoパトロール隊' } });
		const { id: planId } = await addYearlyRecord({
			ctx,
			input: {
				initiativeId: overview.initiatives[0]!.id,
				fiscalYear: '2026',
				phase: 'plan',
				text: '・巡回 500回（予定）',
				metrics: [{ label: '巡回', value: '500', unit: '回', status: 'final' }]
			}
		});
		const rows = await db.select().from(metrics).where(eq(metrics.recordId, planId));
		expect(rows.map((m) => m.status)).toEqual(['planned']);
	});
});
