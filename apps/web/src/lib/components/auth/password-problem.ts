// The i18n key that explains why a new password was refused (codes from @mamori/services/auth).
import type { MessageKey } from '$lib/i18n';

const keys = {
	too_short: 'password_too_short',
	too_long: 'password_too_long',
	common: 'password_common',
	contains_email: 'password_contains_email'
} as const satisfies Record<string, MessageKey>;

export function passwordProblemKey(problem: unknown): MessageKey | undefined {
	return typeof problem === 'string' && problem in keys ? keys[problem as keyof typeof keys] : undefined;
}
