// A node read as its city's document lays it out: 目黒区's 施策 with 施策の概要, 現状と課題, 関連計画,
// 主な取組 and 成果指標; 小金井市's two levels named as its plan names them (real sqld).
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { readNode, readPlanOverview, type TenantContext } from '../index.ts';

async function cityContext(slug: 'meguro' | 'koganei'): Promise<TenantContext> {
	const city = await seededCity(slug);
	return testContext({ db: city.db, core: openCore(city.core) });
}

describe('reading a node', () => {
	let meguro: TenantContext;
	let koganei: TenantContext;
	beforeAll(async () => {
		[meguro, koganei] = await Promise.all([cityContext('meguro'), cityContext('koganei')]);
	});

	it("gives each of 目黒区's 施策 its sections, 主な取組 and 成果指標", async () => {
		const overview = await readPlanOverview({ ctx: meguro, input: {} });
		const roots = overview!.nodes.filter((n) => n.parentId === null);
		expect(roots.map((n) => n.code)).toEqual(['1', '2', '3', '4']);
		const nodes = await Promise.all(roots.map((n) => readNode({ ctx: meguro, input: { id: n.id } })));
		expect(nodes.map((n) => n.kpis.length)).toEqual([2, 2, 2, 3]);
		expect(nodes.map((n) => n.initiatives.length)).toEqual([3, 4, 2, 4]);
		const first = nodes[0]!;
		expect(first.labels).toEqual({ level: '施策', childLevel: '施策', initiative: '主な取組' });
		expect(first.ancestors).toEqual([]);
		expect(first.node.currentState).toHaveLength(4);
		expect(first.node.relatedPlans).toEqual(['目黒区安全・安心プラン', '目黒区国土強靱化地域計画']);
		expect(first.initiatives[0]!.description).toContain('24時間365日');
		expect(first.kpis.map((k) => [k.name, k.baselineText, k.targetText])).toEqual([
			['「生活安全緊急メール」の登録者数', '9,000人', '15,000人'],
			['自転車盗難被害状況', '429件', '200件']
		]);
	});

	it("names 小金井市's levels as its plan does, with the way up the tree", async () => {
		const overview = await readPlanOverview({ ctx: koganei, input: {} });
		const child = overview!.nodes.find((n) => n.parentId !== null)!;
		const node = await readNode({ ctx: koganei, input: { id: child.id } });
		expect(node.labels).toEqual({ level: '施策', childLevel: '施策', initiative: '施策' });
		expect(node.ancestors.map((a) => a.title)).toEqual(['日常生活における安全安心の確保']);
		const parent = await readNode({ ctx: koganei, input: { id: child.parentId! } });
		expect(parent.labels.level).toBe('主要な施策');
		expect(parent.children.map((c) => c.code)).toEqual(['(1)', '(2)', '(3)']);
	});

	it('answers not found for an unknown node', async () => {
		await expect(
			readNode({ ctx: meguro, input: { id: '00000000-0000-7000-8000-000000000000' } })
		).rejects.toMatchObject({ code: 'not_found' });
	});
});
