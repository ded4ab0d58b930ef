// The session cookie: HttpOnly, SameSite=Lax, Secure in production (and on any https origin),
// expiring with the session's absolute lifetime.
import { createSession } from '@mamori/services/auth';
import type { Cookies, RequestEvent } from '@sveltejs/kit';

import { SESSION_COOKIE_NAME as SESSION_COOKIE } from './headers.ts';

export { SESSION_COOKIE };

export function secureCookies(event: Pick<RequestEvent, 'url' | 'platform'>): boolean {
	return event.platform?.env?.MAMORI_ENV === 'production' || event.url.protocol === 'https:';
}

export function setSessionCookie(
	event: Pick<RequestEvent, 'url' | 'platform'> & { cookies: Cookies },
	token: string,
	expiresAt: Date
): void {
	event.cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: secureCookies(event),
		expires: expiresAt
	});
}

/** Signs this browser in as `userId` (after accepting an invitation or resetting the password). */
export async function startSession(event: RequestEvent, userId: string): Promise<void> {
	const { token, session } = await createSession({
		core: event.locals.core,
		userId,
		userAgent: event.request.headers.get('user-agent')
	});
	setSessionCookie(event, token, session.expiresAt);
}

/** The new password of a form with NewPasswordFields, and whether its confirmation differs. */
export function newPassword(data: FormData): { password: string; mismatch: boolean } {
	const password = String(data.get('password') ?? '');
	return { password, mismatch: password !== String(data.get('confirm') ?? '') };
}

export function deleteSessionCookie(event: Pick<RequestEvent, 'url' | 'platform'> & { cookies: Cookies }): void {
	event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(event) });
}

/** A same-site path to go back to after signing in; anything else becomes the top page. */
export function safeNext(value: FormDataEntryValue | string | null | undefined): string {
	const next = typeof value === 'string' ? value : '';
	return /^\/(?![/\\])[^\s\\]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}
