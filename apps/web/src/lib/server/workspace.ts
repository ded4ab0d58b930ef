// Wiring for the services: the context of the signed-in user (in this city), and the one shape of
// a form action (read the body, call a verb, map what it refuses).
import type { RequestEvent } from '@sveltejs/kit';
import { can, type MembersContext, type Target } from '@mamori/services/auth';
import { coreContext as buildCoreContext, tenantContext as buildTenantContext } from '@mamori/services';
import { invalid, type CoreContext, type RequestTenant, type TenantContext } from '@mamori/services';
import type { fields } from '@mamori/services/domain';
import { formValues, readForm, readUpload } from './body.ts';
import { failure, refuse, type FormFailure } from './errors.ts';

const contexts = new WeakMap<App.Locals, TenantContext>();

/** The city of a /{tenant}/… request: handleContext resolved it, or answered 404 or 503 itself. */
export function tenantOf(locals: App.Locals): RequestTenant {
	if (!locals.tenant) return refuse(locals.locale, 404, 'error_not_found');
	return locals.tenant;
}

/**
 * The service context of the signed-in user in this city, one per request (so the shared codes
 * are read at most once). handleContext opened the database; handleAuth let the request in.
 */
export function tenantContext(locals: App.Locals): TenantContext {
	const known = contexts.get(locals);
	if (known) return known;
	const tenant = tenantOf(locals);
	if (!locals.tenantDb) return refuse(locals.locale, 404, 'error_not_found');
	const ctx = buildTenantContext({
		db: locals.tenantDb,
		core: locals.core,
		tenant,
		principal: locals.principal,
		sharedStamp: locals.sharedStamp
	});
	contexts.set(locals, ctx);
	return ctx;
}

export function coreContext(locals: App.Locals): CoreContext {
	return buildCoreContext({ core: locals.core, principal: locals.principal });
}

/** The city's member list lives in the core database. */
export function membersContext(locals: App.Locals): MembersContext {
	// The city's own database keeps the history of its members' roles and departments.
	return { ...coreContext(locals), tenant: tenantOf(locals), db: locals.tenantDb };
}

/**
 * Whether the page should offer edit controls (the service checks again on every write).
 * `departments`: the item's departments, or 'all' for changes to the whole plan (tree,
 * departments, KPIs), which department-limited editors may not make.
 */
export function canEdit(locals: App.Locals, departments?: Target['departments']): boolean {
	return can(locals.principal, 'plan.edit', { tenant: locals.tenant, departments });
}

type ActionEvent = Pick<RequestEvent, 'request' | 'locals'>;
type Saved<T> = { form: string; saved: true } & (T extends Record<string, unknown> ? T : unknown);

/**
 * A form action: reads the body (400/413 for what is not a small text form), passes its fields
 * to `run` as the verb's raw input, answers `{ form, saved: true, ...result }`, and maps what the
 * verb refuses (field messages 400, conflict 409, 404, 403, 503). `form` names the page's form;
 * it may depend on the fields (one form per row). An `upload` form may send its file (field
 * `file`) up to the rule's size; beyond, it is refused beside the file field before the verb runs.
 */
export async function formAction<T extends Record<string, unknown> | void>(
	event: ActionEvent,
	form: string | ((values: Record<string, unknown>) => string),
	run: (values: Record<string, unknown>) => Promise<T>,
	options: { lists?: readonly string[]; upload?: fields.UploadRule } = {}
) {
	const { upload } = options;
	// Beyond the file's limit a little, for the other fields and the multipart framing.
	const data = upload ? await readUpload(event, upload.maxBytes + 64 * 1024) : await readForm(event);
	const values = data === 'too_large' ? {} : formValues(data, options.lists);
	const name = typeof form === 'string' ? form : form(values);
	// What the user typed is sent back with a refusal; a file cannot be, and need not be.
	const typed = Object.fromEntries(Object.entries(values).filter(([, v]) => !(v instanceof Blob)));
	try {
		if (data === 'too_large') throw invalid('file', upload!.tooLargeKey, { max: upload!.maxLabel });
		const result = await run(values);
		return { form: name, saved: true as const, ...(result ?? {}) } as Saved<T>;
	} catch (e) {
		return failure(event.locals, e, { form: name, values: typed });
	}
}

export type { FormFailure };
