// Documents laid out differently from the three cities' still get a useful proposal: an
// evaluation sheet (key：value), a KPI table with direction arrows and calendar years, a plan
// mixing traffic safety with crime prevention (numbered headings, bullets with 担当, an era-less
// year). What no rule places is listed with its line.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTaxonomySeeds } from '../seed/taxonomy.ts';
import { parsePlanDocument } from './parse.ts';

const codes = readTaxonomySeeds(fileURLToPath(new URL('../../../../seeds', import.meta.url))).codes;

describe('documents laid out differently', () => {
	it('an evaluation sheet of key：value lines', () => {
		const p = parsePlanDocument(
			[
				'令和5年度 事務事業評価シート',
				'',
				'施策名：防犯対策の推進',
				'事業名：防犯カメラ設置補助事業',
				'担当課：市民協働課',
				'事業の目的：町会・自治会が設置する街頭防犯カメラの設置費用を補助し、犯罪の抑止を図る。',
				'令和5年度の実績：防犯カメラ設置補助 12台（8団体）',
				'令和6年度の予定：防犯カメラ設置補助 15台',
				'成果指標：防犯カメラ設置台数（累計）',
				'現状値（令和4年度）：120台',
				'目標値（令和8年度）：200台',
				'総合評価：A（順調）'
			].join('\n'),
			codes
		);
		expect(p.plan).toMatchObject({ title: '令和5年度 事務事業評価シート', kind: 'report' });
		expect(p.departments).toEqual([{ name: '市民協働課' }]);
		const [node] = p.nodes;
		expect(node!.title).toBe('防犯対策の推進');
		const [ini] = node!.initiatives;
		expect(ini).toMatchObject({ title: '防犯カメラ設置補助事業', departments: ['市民協働課'] });
		expect(ini!.description).toContain('街頭防犯カメラ');
		expect(ini!.records.map((r) => [r.fiscalYear, r.phase, r.metrics.map((m) => `${m.value}${m.unit}`)])).toEqual([
			[2023, 'actual', ['12台', '8団体']],
			[2024, 'plan', ['15台']]
		]);
		expect(ini!.categories[0]).toEqual({
			code: 'camera.community_grant',
			words: ['防犯カメラ設置補助', '街頭防犯カメラ']
		});
		expect(node!.indicators).toEqual([
			expect.objectContaining({
				name: '防犯カメラ設置台数（累計）',
				unit: '台',
				direction: 'higher',
				baseline: expect.objectContaining({ value: 120, period: { kind: 'fiscal_year', year: 2022 } }),
				target: expect.objectContaining({ value: 200, period: { kind: 'fiscal_year', year: 2026 } })
			})
		]);
		expect(p.unplaced).toEqual([{ line: 12, text: '総合評価：A（順調）' }]);
	});

	it('a KPI table with direction arrows, calendar years kept as 年', () => {
		const p = parsePlanDocument(
			[
				'# 第2次 安全・安心まちづくり推進計画 成果指標',
				'',
				'## 基本目標1 犯罪の起きにくいまち',
				'',
				'| 指標 | 現状値（令和4年） | 目標値（令和9年） | 方向 |',
				'|---|---|---|---|',
				'| 刑法犯認知件数 | 1,234件 | 1,000件 | ↓ |',
				'| 防犯ボランティア登録者数 | 850人 | 1,000人 | ↑ |',
				'| 体感治安が良いと感じる市民の割合 | 62.5% | 70% | ↑ |',
				'',
				'（グラフ）'
			].join('\n'),
			codes
		);
		expect(p.plan.levelLabels).toEqual(['基本目標']);
		expect(p.nodes.map((n) => [n.code, n.title])).toEqual([['1', '犯罪の起きにくいまち']]);
		const kpis = p.nodes[0]!.indicators.map((k) => [
			k.name,
			k.unit,
			k.direction,
			k.directionReason,
			k.baseline?.value,
			k.baseline?.period,
			k.target?.value,
			k.target?.period
		]);
		const cal = (year: number) => ({ kind: 'calendar_year', year });
		expect(kpis).toEqual([
			['刑法犯認知件数', '件', 'lower', 'arrow', 1234, cal(2022), 1000, cal(2027)],
			['防犯ボランティア登録者数', '人', 'higher', 'arrow', 850, cal(2022), 1000, cal(2027)],
			['体感治安が良いと感じる市民の割合', '%', 'higher', 'arrow', 62.5, cal(2022), 70, cal(2027)]
		]);
		expect(p.unplaced).toEqual([{ line: 11, text: '（グラフ）' }]);
	});

	it('a plan mixing traffic safety with crime prevention', () => {
		const p = parsePlanDocument(
			[
				'交通安全・防犯推進計画（令和6年度～令和10年度）',
				'',
				'1 交通安全の推進',
				'(1) 交通安全教育',
				'・子どもの交通安全教室の開催（担当：交通対策課）',
				'・高齢者の交通安全講習会（担当：交通対策課）',
				'(2) 自転車の安全利用',
				'・自転車ヘルメット着用の啓発【交通対策課】',
				'',
				'2 防犯対策の推進',
				'(1) 地域の見守り',
				'・青色防犯パトロールによる巡回（担当：地域安全課）',
				'・防犯カメラの設置補助（担当：地域安全課）',
				'7年度の予定：防犯カメラ 10台',
				'(2) 特殊詐欺対策',
				'・自動通話録音機の貸与（担当：地域安全課）',
				'令和5年度実績：自動通話録音機の貸与 150台',
				'※この計画は毎年見直します。'
			].join('\n'),
			codes
		);
		expect(p.plan).toMatchObject({ periodStart: 2024, periodEnd: 2028, kind: 'plan' });
		expect(p.departments).toEqual([{ name: '交通対策課' }, { name: '地域安全課' }]);
		const tree = p.nodes.map((n) => [
			n.code,
			n.title,
			n.children.map((c) => [c.code, c.title, c.initiatives.map((i) => i.title)])
		]);
		expect(tree).toEqual([
			[
				'1',
				'交通安全の推進',
				[
					['(1)', '交通安全教育', ['子どもの交通安全教室の開催', '高齢者の交通安全講習会']],
					['(2)', '自転車の安全利用', ['自転車ヘルメット着用の啓発']]
				]
			],
			[
				'2',
				'防犯対策の推進',
				[
					['(1)', '地域の見守り', ['青色防犯パトロールによる巡回', '防犯カメラの設置補助']],
					['(2)', '特殊詐欺対策', ['自動通話録音機の貸与']]
				]
			]
		]);
		const watch = p.nodes[1]!.children[0]!.initiatives;
		expect(watch[0]!.categories[0]!.code).toBe('patrol.official');
		// 7年度 printed without its era: read in the document's era (令和) and marked inferred.
		expect(watch[1]!.records).toEqual([
			expect.objectContaining({ fiscalYear: 2025, yearInferred: true, phase: 'plan' })
		]);
		const fraud = p.nodes[1]!.children[1]!.initiatives[0]!;
		expect(fraud.categories.map((c) => c.code)).toContain('fraud.special');
		expect(fraud.records[0]).toMatchObject({
			fiscalYear: 2023,
			phase: 'actual',
			metrics: [expect.objectContaining({ value: 150, unit: '台' })]
		});
		expect(p.unplaced).toEqual([{ line: 18, text: '※この計画は毎年見直します。' }]);
	});
});
