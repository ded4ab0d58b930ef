// Plain HTTP against the running stack, as a browser would send it (same Origin, form bodies).

/** The demo accounts' password (seeded locally; MAMORI_DEMO_PASSWORD, default mamori-demo). */
export const DEMO_PASSWORD = process.env.MAMORI_DEMO_PASSWORD ?? 'mamori-demo';

export async function signInCookie(
	appUrl: string,
	email: string,
	password = DEMO_PASSWORD,
	userAgent = 'Mamori e2e'
): Promise<string> {
	const response = await fetch(`${appUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: appUrl,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			'user-agent': userAgent
		},
		body: new URLSearchParams({ email, password })
	});
	const cookie = response.headers
		.getSetCookie()
		.find((c) => c.startsWith('mamori_session='))
		?.split(';')[0];
	if (response.status !== 303 || !cookie) throw new Error(`cannot sign in as ${email}: ${response.status}`);
	return cookie;
}

export function postForm(
	appUrl: string,
	path: string,
	/** Text fields (urlencoded, as a form without a file is sent), or FormData (multipart, with files). */
	fields: Record<string, string> | FormData,
	options: { cookie?: string | undefined; origin?: string; enhanced?: boolean; address?: string } = {}
): Promise<Response> {
	const multipart = fields instanceof FormData;
	return fetch(`${appUrl}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: options.origin ?? appUrl,
			// fetch writes a multipart body's content type itself (with its boundary).
			...(multipart ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
			accept: options.enhanced ? 'application/json' : 'text/html',
			...(options.enhanced ? { 'x-sveltekit-action': 'true' } : {}),
			...(options.cookie ? { cookie: options.cookie } : {}),
			// The client's address as Cloudflare names it (the rate limits count per address).
			...(options.address ? { 'cf-connecting-ip': options.address } : {})
		},
		body: multipart ? fields : new URLSearchParams(fields)
	});
}

export function get(appUrl: string, path: string, cookie?: string): Promise<Response> {
	return fetch(`${appUrl}${path}`, {
		redirect: 'manual',
		headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }
	});
}

/** The newest link to `path` (/invite/… or /reset-password/…) mailed to `to`, read from the local outbox. */
export async function mailedLink(appUrl: string, operatorCookie: string, to: string, path: string): Promise<string> {
	// Some mail leaves after the answer (a password reset): look until it is in the outbox.
	for (let attempt = 0; ; attempt++) {
		const html = await (await get(appUrl, '/operator/mail', operatorCookie)).text();
		const mail = html.split('<article').find((part) => part.includes(to) && part.includes(path));
		const link = mail?.match(new RegExp(`${appUrl.replace(/[.]/g, '\\.')}${path}[a-z0-9.]+`))?.[0];
		if (link) return link;
		if (attempt === 100) throw new Error(`no mail to ${to} with a ${path} link`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** A new member of a seed city, invited by its admin and accepted: a user the tests may change. */
export async function invitedMember(
	appUrl: string,
	options: { city: string; email: string; role: 'viewer' | 'editor' | 'admin'; password: string }
): Promise<string> {
	const admin = await signInCookie(appUrl, `admin@${options.city}.example`);
	const invited = await postForm(
		appUrl,
		`/${options.city}/members?/invite`,
		{ email: options.email, role: options.role },
		{ cookie: admin }
	);
	if (invited.status !== 200) throw new Error(`invitation refused: ${invited.status}`);
	const link = await mailedLink(
		appUrl,
		await signInCookie(appUrl, 'operator@mamori.example'),
		options.email,
		'/invite/'
	);
	const accepted = await postForm(appUrl, new URL(link).pathname, {
		displayName: `e2e ${options.email}`,
		password: options.password,
		confirm: options.password
	});
	if (accepted.status !== 303) throw new Error(`invitation not accepted: ${accepted.status}`);
	return signInCookie(appUrl, options.email, options.password);
}
