// The crawler and its HTML reading, on a tricky snippet and on the running app.
import { describe, expect, it } from 'vitest';
import { crawl, routeKey, submitTarget, unchangedBody } from './crawl.ts';
import { linksAndForms } from './html.ts';
import { sessionCookie } from './session.ts';
import { appUrl } from './stack.ts';

describe('reading forms out of server-rendered HTML', () => {
	const html = `<!doctype html><html><body>
		<!-- <form method="post" action="/commented-out"></form> -->
		<script>const s = '<form method="post" action="/in-script">';</script>
		<a href="/a?x=1&amp;y=2">A &amp; B</a> <a download href="/export.csv">CSV</a>
		<form method="POST" action="?/update" id="f">
			<input type="hidden" name="version" value="3">
			<input name="title" value="&quot;防犯&quot; &lt;1&gt;">
			<input type="checkbox" name="cat" value="patrol" checked>
			<input type="checkbox" name="cat" value="camera">
			<input type="radio" name="phase" value="plan"><input type="radio" name="phase" value="actual" checked>
			<input name="off" value="x" disabled>
			<textarea name="summary">
一行目 <b>太字ではない</b>
二行目</textarea>
			<select name="dept"><option value="">—</option><option value="d1" selected>総務課</option></select>
			<select name="first"><option>甲</option><option>乙</option></select>
			<select name="many" multiple><option value="1" selected>1</option><option value="2">2</option><option value="3" selected>3</option></select>
			<button name="intent" value="save">保存</button>
			<button formaction="?/delete">削除</button>
		</form>
		<input form="f" name="outside" value="joined">
		<form><input name="q"></form>
	</body></html>`;

	it('finds links and forms as a browser does, and submits them unchanged as a browser would', () => {
		const { links, forms } = linksAndForms(html);
		expect(links).toEqual([
			{ href: '/a?x=1&y=2', download: false, text: 'A & B' },
			{ href: '/export.csv', download: true, text: 'CSV' }
		]);
		expect(forms.map((f) => [f.method, f.action])).toEqual([
			['post', '?/update'],
			['get', '']
		]);
		const form = forms[0]!;
		expect(
			Object.fromEntries(form.controls.filter((c) => c.element === 'select').map((c) => [c.name, c.value]))
		).toEqual({ dept: 'd1', first: '甲', many: '1' });
		const submitted = [
			...new URLSearchParams(
				unchangedBody({ page: '/p', action: '/p?/update', method: 'post', enctype: '', fields: form.controls })
			)
		];
		expect(submitted).toEqual([
			['version', '3'],
			['title', '"防犯" <1>'],
			['cat', 'patrol'],
			['phase', 'actual'],
			['summary', '一行目 <b>太字ではない</b>\r\n二行目'],
			['dept', 'd1'],
			['first', '甲'],
			['many', '1'],
			['many', '3'],
			['outside', 'joined']
		]);
		const remove = form.controls.find((c) => c.formaction !== undefined)!;
		expect(
			submitTarget({ page: '/p/1', action: '/p/1?/update', method: 'post', enctype: '', fields: [] }, remove)
		).toBe('/p/1?/delete');
	});

	it('names routes, not records', () => {
		const key = (path: string) => routeKey(new URL(path, 'http://x'), ['meguro']);
		expect(key('/meguro/initiatives/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b?tab=1')).toBe('/[tenant]/initiatives/[id]');
		expect(key(`/invite/${'a'.repeat(24)}.${'b'.repeat(24)}`)).toBe('/invite/[token]');
		expect(key('/benchmarks/trend')).toBe('/benchmarks/trend');
	});
});

describe('crawling the running app', () => {
	it("an editor's crawl finds the plan's pages and their edit forms, with what they hold", async () => {
		const found = await crawl(appUrl, {
			cookie: await sessionCookie(appUrl, 'editor@meguro.example'),
			start: '/meguro',
			key: (u) => routeKey(u, ['meguro'])
		});
		expect(found.truncated).toEqual([]);
		const keys = new Set(
			found.pages.filter((p) => p.status === 200).map((p) => routeKey(new URL(p.url, appUrl), ['meguro']))
		);
		for (const route of ['/[tenant]', '/[tenant]/initiatives/[id]', '/[tenant]/kpis', '/[tenant]/history'])
			expect(keys).toContain(route);
		expect(found.forms.some((f) => f.action.endsWith('/logout'))).toBe(false);
		const update = found.forms.find((f) => /\/meguro\/initiatives\/[^/?]+\?\/update$/.test(f.action))!;
		const body = Object.fromEntries(unchangedBody(update));
		expect(Number(body.version)).toBeGreaterThanOrEqual(1);
		expect(body.title).not.toBe('');
	});
});
