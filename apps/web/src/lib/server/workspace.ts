// Wiring for the plan workspace: the service context of the signed-in user in this city, the
// shared codes writes are validated against, and the one mapping of service errors to responses.
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { AccessDeniedError, can, decide, type Target } from '@mamori/services/auth';
import { listSharedIndicators, listTaxonomy } from '@mamori/services';
import { ConflictError, NotFoundError, ValidationError, type TenantContext } from '@mamori/services';
import { m } from '$lib/paraglide/messages';

/**
 * The service context of the signed-in user in this city. Its `authorize` is the one authoriser;
 * the database handle exists only when handleAuth let the request into the city.
 */
export function tenantContext(locals: App.Locals): TenantContext {
	if (!locals.tenantDb || !locals.tenant) error(404, { message: m.error_not_found({}, { locale: locals.locale }) });
	const tenant = locals.tenant;
	return {
		db: locals.tenantDb,
		actor: { id: locals.user?.id ?? null, name: locals.user?.displayName ?? '' },
		authorize: (action, scope) => {
			const decision = decide(locals.principal, action, { tenant, departments: scope?.departmentIds ?? 'all' });
			if (!decision.allowed)
				error(403, { message: m.error_forbidden({}, { locale: locals.locale }), code: 'FORBIDDEN' });
		}
	};
}

/**
 * Whether the page should offer edit controls (the service checks again on every write).
 * `departments`: the item's departments, or 'all' for changes to the whole plan (tree,
 * departments, KPIs), which department-limited editors may not make.
 */
export function canEdit(locals: App.Locals, departments?: Target['departments']): boolean {
	return can(locals.principal, 'plan.edit', { tenant: locals.tenant, departments });
}

type SharedCodes = {
	taxonomy: Awaited<ReturnType<typeof listTaxonomy>>;
	indicators: Awaited<ReturnType<typeof listSharedIndicators>>;
	taxonomyCodes: Set<string>;
	indicatorCodes: Set<string>;
};

/** The shared taxonomy and indicators (core database), read in one batch per request. */
export async function sharedCodes(locals: App.Locals): Promise<SharedCodes> {
	const [taxonomy, indicators] = await Promise.all([
		listTaxonomy({ core: locals.core }),
		listSharedIndicators({ core: locals.core })
	]);
	return {
		taxonomy,
		indicators,
		taxonomyCodes: new Set(taxonomy.categories.map((c) => c.code)),
		indicatorCodes: new Set(indicators.map((i) => i.code))
	};
}

export type FormFailure = {
	form: string;
	errors?: Record<string, string>;
	conflict?: unknown;
	values?: Record<string, unknown>;
};

/**
 * Runs a write and maps what can go wrong to what the form shows: field messages (400), a
 * conflict with what is there now (409), or the item being gone (404).
 */
export async function runWrite<T>(
	form: string,
	values: Record<string, unknown>,
	write: () => Promise<T>
): Promise<T | ActionFailure<FormFailure>> {
	try {
		// Message functions without a locale take the request's (Paraglide's middleware, handleLocale).
		return await write();
	} catch (e) {
		if (e instanceof ValidationError) return fail(400, { form, errors: e.fieldErrors, values });
		if (e instanceof ConflictError) return fail(409, { form, conflict: e.current, values });
		if (e instanceof NotFoundError) error(404, { message: m.error_not_found() });
		if (e instanceof AccessDeniedError) error(403, { message: m.error_forbidden(), code: 'FORBIDDEN' });
		throw e;
	}
}
