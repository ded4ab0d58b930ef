import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { openCore } from '@mamori/db';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { InvalidError, issuesOf } from '../errors.ts';
import { listKpis, setKpiValue } from '../plan/kpis.ts';
import { implausible, unitKind } from './fields.ts';
import { kpiValueForm, metricForm, newKpiForm, statisticForm } from './forms.ts';

const metric = (value: string, unit: string) => metricForm.safeParse({ label: '件数', value, unit });
// Any form's parse: a metric's, a KPI's, a statistic's.
const problem = (parsed: z.ZodSafeParseResult<unknown>) => (parsed.success ? null : issuesOf(parsed.error));

describe('figures plausible in their unit', () => {
	it('knows counts and shares from the units the three cities use', () => {
		for (const unit of ['件', '回', '人', '延べ人', '台', '団体', '事業者等', 'ヶ所', '校', '世帯'])
			expect(unitKind(unit)).toBe('count');
		for (const unit of ['%', '％']) expect(unitKind(unit)).toBe('percent');
		for (const unit of ['km', '回/週', '円', '時間']) expect(unitKind(unit)).toBe('other');
	});

	it('refuses what the security review got published: a huge value, a negative or broken count, a share over 100', () => {
		expect(problem(metric('1.7976931348623157e308', 'km'))).toEqual({ value: { key: 'validation_value_magnitude' } });
		expect(problem(metric('-3', '件'))).toEqual({ value: { key: 'validation_value_count', params: { unit: '件' } } });
		expect(problem(metric('2.5', '人'))).toEqual({ value: { key: 'validation_value_count', params: { unit: '人' } } });
		expect(problem(metric('101', '%'))).toEqual({ value: { key: 'validation_value_percent' } });
		expect(problem(metric('-0.1', '％'))).toEqual({ value: { key: 'validation_value_percent' } });
		// Each way in holds the bound itself: a KPI's value form (its unit is the KPI's, checked by
		// the service) and the per-unit check the services and importers call.
		expect(problem(kpiValueForm.safeParse({ periodKind: 'fiscal_year', periodYear: '2024', value: '1e16' }))).toEqual({
			value: { key: 'validation_value_magnitude' }
		});
		expect(implausible(1.7976931348623157e308, 'km')).toEqual({ key: 'validation_value_magnitude' });
		expect(implausible(Number.POSITIVE_INFINITY, '件')).toEqual({ key: 'validation_value_magnitude' });
	});

	it('accepts the seeded figures and what a city really writes', () => {
		for (const [value, unit] of [
			['1,444', '件'],
			['20.4', '%'],
			['9344', 'km'],
			['1.5', '回/週'],
			['-12', '円'], // a change, in a unit that is not a count
			['０', '件']
		])
			expect(problem(metric(value!, unit!))).toBeNull();
		expect(implausible(100, '%')).toBeNull();
	});

	it('checks a KPI’s baseline and target, and a statistic, in their units', () => {
		const kpi = newKpiForm.safeParse({
			nodeId: 'n',
			name: '防犯メール登録率',
			unit: '%',
			direction: 'higher',
			baselineValue: '50',
			targetValue: '120'
		});
		expect(problem(kpi)).toEqual({ targetValue: { key: 'validation_value_percent' } });
		const statistic = statisticForm.safeParse({
			label: '刑法犯認知件数',
			value: '-1444',
			unit: '件',
			periodKind: 'calendar_year',
			periodYear: '2020'
		});
		expect(problem(statistic)).toEqual({ value: { key: 'validation_value_count', params: { unit: '件' } } });
	});
});

describe('a KPI value, in its KPI’s unit (real sqld, 目黒区 seed)', () => {
	it('refuses a count of people that is not whole or is negative; accepts a plausible one', async () => {
		const city = await seededCity('meguro');
		const ctx = testContext({ db: city.db, core: openCore(city.core) });
		const people = (await listKpis({ ctx })).find((k) => k.unit === '人')!;
		const enter = (value: string) =>
			setKpiValue({ ctx, input: { indicatorId: people.id, periodKind: 'fiscal_year', periodYear: '2024', value } });
		for (const value of ['10.5', '-3']) {
			const refused = await enter(value).catch((e: unknown) => e);
			expect(refused).toBeInstanceOf(InvalidError);
			expect((refused as InvalidError).issues).toEqual({
				value: { key: 'validation_value_count', params: { unit: '人' } }
			});
		}
		await enter('1,800');
		expect((await listKpis({ ctx })).find((k) => k.id === people.id)!.values.map((v) => v.value)).toContain(1800);
		city.db.$client.close();
	});
});
