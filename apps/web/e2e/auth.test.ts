// Sign-in, sessions, CSRF, throttling, invitations, password reset and the operator console, in a
// real browser (Debian's chromium) and over HTTP, against the built app in workerd with sqld.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { violations } from './axe.ts';
import { fillIn, launchBrowser } from './browser.ts';
import { get, invitedMember, mailedLink, postForm, signInCookie } from './http.ts';
import { DEMO_PASSWORD, signedInContext, signedInThroughForm } from './session.ts';
import { appUrl } from './stack.ts';

const INVALID = 'メールアドレスまたはパスワードが正しくありません。';

// One browser for the file; each test opens its own context.
let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('sign-in and sessions', () => {
	it('without JavaScript: a city page asks to sign in, the form posts email and password to /login, and brings you back', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ja-JP' });
		const page = await context.newPage();
		const refused = await page.goto(`${appUrl}/meguro/kpis`);
		expect(refused?.status()).toBe(403);
		await expect(page.locator('h1').textContent()).resolves.toBe('サインインが必要です');
		await page.locator('main').getByRole('link', { name: 'サインイン' }).click();
		expect(new URL(page.url()).pathname).toBe('/login');
		expect(await page.locator('form[action="/login"]').getAttribute('method')).toBe('POST');

		// A wrong password and an unknown address get the same answer.
		for (const email of ['viewer@meguro.example', 'nobody-at-all@meguro.example']) {
			await page.locator('input[name=email]').fill(email);
			await page.locator('input[name=password]').fill('not the password');
			await page.getByRole('button', { name: 'サインインする' }).click();
			await expect(page.locator('main [role=alert]').textContent()).resolves.toBe(INVALID);
			expect(await page.locator('input[name=email]').inputValue()).toBe(email);
		}
		await page.locator('input[name=email]').fill('viewer@meguro.example');
		await page.locator('input[name=password]').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'サインインする' }).click();
		await page.waitForURL(`${appUrl}/meguro/kpis`);
		await expect(page.locator('header').textContent()).resolves.toContain('目黒区 閲覧者（デモ）');
		await context.close();
	});

	it('the session cookie is HttpOnly, SameSite=Lax, Path=/, expires with the session (Secure only off on local http)', async () => {
		const response = await postForm(appUrl, '/login', { email: 'viewer@koganei.example', password: DEMO_PASSWORD });
		expect(response.status).toBe(303);
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('mamori_session='))!;
		expect(cookie).toMatch(/^mamori_session=[a-km-z2-9]{24}\.[a-km-z2-9]{24}; /);
		expect(cookie).toContain('HttpOnly');
		expect(cookie).toContain('SameSite=Lax');
		expect(cookie).toContain('Path=/');
		expect(cookie).not.toContain('Secure'); // http://127.0.0.1; MAMORI_ENV=production sets it (session.test.ts)
		const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!);
		expect(Math.abs(expires - (Date.now() + 7 * 24 * 3600 * 1000))).toBeLessThan(60_000);

		const context = await signedInThroughForm(browser, appUrl, 'viewer@koganei.example');
		const [stored] = await context.cookies(appUrl);
		expect(stored).toMatchObject({ name: 'mamori_session', httpOnly: true, sameSite: 'Lax', path: '/' });
		await context.close();
	});

	it('after sign-out, a copied cookie of that session is useless', async () => {
		const cookie = await signInCookie(appUrl, 'editor@tomakomai.example');
		expect((await get(appUrl, '/tomakomai', cookie)).status).toBe(200);
		const out = await postForm(appUrl, '/logout', {}, { cookie });
		expect(out.status).toBe(303);
		expect(out.headers.getSetCookie().join()).toMatch(/mamori_session=;/);
		expect((await get(appUrl, '/tomakomai', cookie)).status).toBe(403);
		expect((await get(appUrl, '/account', cookie)).status).toBe(403);
	});

	describe('my sessions', () => {
		const email = `sessions-${Date.now()}@koganei.example`;
		const password = '小金井の防犯をみんなで守る会';
		const devices = { laptop: '', phone: '', tablet: '' };
		let context: BrowserContext;
		let page: Page;
		beforeAll(async () => {
			devices.laptop = await invitedMember(appUrl, { city: 'koganei', email, role: 'viewer', password });
			devices.phone = await signInCookie(appUrl, email, password, 'E2E Phone');
			devices.tablet = await signInCookie(appUrl, email, password, 'E2E Tablet');
		});
		beforeEach(async () => {
			context = await browser.newContext({ javaScriptEnabled: false });
			await context.addCookies([{ name: 'mamori_session', value: devices.laptop.split('=')[1]!, url: appUrl }]);
			page = await context.newPage();
			await page.goto(`${appUrl}/account`);
		});
		afterEach(() => context?.close());

		it('lists this device and the others; revoking one from the list signs that one out', async () => {
			expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
			await expect(page.locator('tbody').textContent()).resolves.toContain('この端末');
			await page.locator('tbody tr').filter({ hasText: 'E2E Phone' }).getByRole('button').click();
			await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('サインアウトさせました');
			await expect(page.locator('tbody').textContent()).resolves.not.toContain('E2E Phone');
			expect((await get(appUrl, '/koganei', devices.phone)).status).toBe(403);
			expect((await get(appUrl, '/koganei', devices.tablet)).status).toBe(200);
		});

		it('a too short new password is refused beside the field', async () => {
			await fillIn(page, { '#currentPassword': password, '#newPassword': 'short', '#confirm': 'short' });
			await page.getByRole('button', { name: 'パスワードを変更する' }).click();
			await expect(page.locator('[role=alert]').first().textContent()).resolves.toContain('パスワードは8文字以上');
		});

		it('a password change signs out every other session; this browser stays signed in', async () => {
			await fillIn(page, {
				'#currentPassword': password,
				'#newPassword': '新しい合言葉で小金井を守る',
				'#confirm': '新しい合言葉で小金井を守る'
			});
			await page.getByRole('button', { name: 'パスワードを変更する' }).click();
			await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('パスワードを変更しました');
			expect((await get(appUrl, '/koganei', devices.tablet)).status).toBe(403);
			expect((await get(appUrl, '/koganei', devices.laptop)).status).toBe(403); // the old cookie of this browser too
			expect((await page.goto(`${appUrl}/koganei`))?.status()).toBe(200); // its new cookie works
			await expect(postForm(appUrl, '/login', { email, password }).then((r) => r.status)).resolves.toBe(400);
		});
	});

	it('repeated failures slow sign-in down, with a Japanese message saying when to retry', async () => {
		const email = `guess-${Date.now()}@nowhere.example`;
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${appUrl}/login`);
		await page.locator('input[name=email]').fill(email);
		await page.locator('input[name=password]').fill('guess again');
		// Five free failures, then the next attempt (within seconds) must wait.
		for (let i = 0; i < 5; i++)
			expect((await postForm(appUrl, '/login', { email, password: `guess ${i}` })).status).toBe(400);
		const response = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.getByRole('button', { name: 'サインインする' }).click()
		]).then(([r]) => r);
		expect(response.status()).toBe(429);
		const message = await page.locator('main [role=alert]').textContent();
		expect(message).toMatch(
			/^サインインの失敗が続いたため、一時的に受け付けを停止しています。\d{2}:\d{2}:\d{2}（\d+秒後）以降にもう一度お試しください。$/
		);
		await context.close();
	});
});

describe('CSRF: SvelteKit’s origin check stays on', () => {
	it('a form POST from another origin is refused, even with a valid session', async () => {
		const cookie = await signInCookie(appUrl, 'admin@meguro.example');
		for (const origin of ['http://evil.example', 'null']) {
			const response = await postForm(appUrl, '/meguro/departments?/create', { name: 'CSRF 課' }, { cookie, origin });
			expect(response.status).toBe(403);
			expect(await response.text()).toBe('Cross-site POST form submissions are forbidden');
		}
		const login = await postForm(
			appUrl,
			'/login',
			{ email: 'admin@meguro.example', password: DEMO_PASSWORD },
			{ origin: 'http://evil.example' }
		);
		expect(login.status).toBe(403);
		expect(await (await get(appUrl, '/meguro/departments', cookie)).text()).not.toContain('CSRF 課');
	});

	it('in a browser: a page elsewhere that submits a form to Mamori is refused', async () => {
		const context = await signedInContext(browser, appUrl, 'admin@meguro.example');
		try {
			const page = await context.newPage();
			await page.setContent(
				`<form method="POST" action="${appUrl}/meguro/departments?/create"><input name="name" value="CSRF ブラウザ課"><button>go</button></form>`
			);
			const [response] = await Promise.all([
				page.waitForResponse((r) => r.url().startsWith(appUrl)),
				page.getByRole('button', { name: 'go' }).click()
			]);
			expect(response.status()).toBe(403);
			const check = await context.newPage();
			await check.goto(`${appUrl}/meguro/departments`);
			await expect(check.locator('main').textContent()).resolves.not.toContain('CSRF ブラウザ課');
		} finally {
			await context.close();
		}
	});
});

describe('operator console, invitation and password reset, without JavaScript', () => {
	const slug = `e2e${Date.now().toString(36)}`;
	const adminEmail = `admin@${slug}.example`;
	const adminPassword = '八王子の安全は私たちが守る';
	let invitation = '';
	const contexts: BrowserContext[] = [];
	/** A page in a new context (closed after the test), as `email` or anonymous, without JavaScript. */
	const openPage = async (email?: string) => {
		const context = email
			? await signedInContext(browser, appUrl, email, { javaScriptEnabled: false })
			: await browser.newContext({ javaScriptEnabled: false });
		contexts.push(context);
		return context.newPage();
	};
	afterEach(async () => {
		await Promise.all(contexts.splice(0).map((c) => c.close()));
	});
	const tenantRow = (page: Page) => page.locator('tbody tr').filter({ hasText: `/${slug}` });

	it('an operator subscribes 調布市 from the municipality master', async () => {
		const page = await openPage('operator@mamori.example');
		// Chosen by its code from the master (finding.test.ts covers the search by name and kana).
		await page.goto(`${appUrl}/operator?q=132080&code=132080`);
		await expect(page.locator('table').textContent()).resolves.toContain('目黒区');
		await fillIn(page, { '#slug': slug, '#adminEmail': adminEmail });
		await page.getByRole('button', { name: '追加して招待を送る' }).click();
		await expect(page.locator('[role=status]').filter({ hasText: '調布市' }).textContent()).resolves.toContain(
			`調布市（/${slug}）を追加し`
		);
		await expect(tenantRow(page).textContent()).resolves.toMatch(/調布市.*利用中.*正常.*0\d{3}_/s);

		await page.goto(`${appUrl}/operator/mail`);
		invitation = /http:\/\/\S+\/invite\/[a-z0-9.]+/.exec((await page.locator('main').textContent())!)![0];
	});

	it('its first admin accepts the invitation, and the link works once', async () => {
		expect(invitation).not.toBe('');
		const accept = await openPage();
		await accept.goto(invitation);
		await expect(accept.locator('main').textContent()).resolves.toContain('調布市の防犯計画に「管理者」として参加');
		await fillIn(accept, {
			'#displayName': '調布市 防犯担当',
			'#password': adminPassword,
			'#confirm': adminPassword
		});
		await accept.getByRole('button', { name: '参加する' }).click();
		await accept.waitForURL(`${appUrl}/${slug}`);
		await expect(accept.locator('.city').textContent()).resolves.toContain('東京都 調布市');
		await expect(accept.locator('nav').last().textContent()).resolves.toContain('メンバー');
		await accept.goto(invitation);
		await expect(accept.locator('[role=alert]').textContent()).resolves.toContain('この招待は無効か');
	});

	it('suspended, its users see a clear notice and nothing is deleted; resumed, they are back', async () => {
		const cookie = await signInCookie(appUrl, adminEmail, adminPassword);
		const page = await openPage('operator@mamori.example');
		await page.goto(`${appUrl}/operator`);
		await tenantRow(page).getByRole('button', { name: '一時停止する' }).click();
		await tenantRow(page).getByRole('button', { name: '再開する' }).waitFor();
		const suspended = await get(appUrl, `/${slug}`, cookie);
		expect(suspended.status).toBe(403);
		expect(await suspended.text()).toContain('この自治体の利用は一時停止されています');
		await tenantRow(page).getByRole('button', { name: '再開する' }).click();
		await tenantRow(page).getByRole('button', { name: '一時停止する' }).waitFor();
		expect((await get(appUrl, `/${slug}`, cookie)).status).toBe(200);
	});

	it('a forgotten password is reset by a one-hour link from the mailer; the old one no longer works', async () => {
		const page = await openPage();
		await page.goto(`${appUrl}/login`);
		await page.getByRole('link', { name: 'パスワードを忘れた場合' }).click();
		for (const email of ['nobody@nowhere.example', adminEmail]) {
			await page.goto(`${appUrl}/reset-password`);
			await page.locator('#email').fill(email);
			await page.getByRole('button', { name: '再設定のリンクを送る' }).click();
			await expect(page.locator('[role=status]').textContent()).resolves.toContain('登録されている場合は');
		}
		const link = await mailedLink(
			appUrl,
			await signInCookie(appUrl, 'operator@mamori.example'),
			adminEmail,
			'/reset-password/'
		);
		await page.goto(link);
		await page.locator('#password').fill('新しい合言葉で八王子を守る');
		await page.locator('#confirm').fill('新しい合言葉で八王子を守る');
		await page.getByRole('button', { name: 'パスワードを設定する' }).click();
		await page.waitForURL(`${appUrl}/account?changed=1`);
		await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('パスワードを変更しました');
		expect((await postForm(appUrl, '/login', { email: adminEmail, password: adminPassword })).status).toBe(400);
		expect(
			(await postForm(appUrl, '/login', { email: adminEmail, password: '新しい合言葉で八王子を守る' })).status
		).toBe(303);
		await page.goto(link);
		await expect(page.locator('[role=alert]').textContent()).resolves.toContain('このリンクは無効か');
	});

	describe('the new pages pass axe-core (WCAG 2.2 AA)', () => {
		const pages: [string, string | null][] = [
			['/login', null],
			['/reset-password', null],
			['/meguro', null], // the 403 sign-in page
			['/account', 'admin@meguro.example'],
			['/meguro/members', 'admin@meguro.example'],
			['/operator', 'operator@mamori.example'],
			['/operator/mail', 'operator@mamori.example']
		];
		for (const [path, email] of pages)
			it(`${path}${email ? ` as ${email}` : ''}`, async () => {
				const context = email ? await signedInContext(browser, appUrl, email) : await browser.newContext();
				contexts.push(context);
				const page = await context.newPage();
				await page.goto(`${appUrl}${path}`);
				expect(await violations(page)).toEqual([]);
			});
	});
});
