// The message that explains why a new password was refused (codes from @mamori/services/auth).
import { m } from '$lib/paraglide/messages';

const messages = {
	too_short: m.password_too_short,
	too_long: m.password_too_long,
	common: m.password_common,
	repetitive: m.password_repetitive,
	contains_email: m.password_contains_email,
	contains_context: m.password_contains_context
} as const;

export function passwordProblemMessage(problem: unknown): (() => string) | undefined {
	return typeof problem === 'string' && problem in messages ? messages[problem as keyof typeof messages] : undefined;
}
