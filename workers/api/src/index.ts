// The API worker: the /v1 JSON API, and the scheduled jobs: the drift check of published
// benchmark facts, the cleanup of expired credentials, the reminders of reporting rounds and the
// history reconciler, each on its own cron (wrangler.toml).
import { openCore, openTenant } from '@mamori/db';
import { deleteExpiredCredentials } from '@mamori/services/auth';
import { verifyAllPublications } from '@mamori/services/benchmarks';
import { mailerFromEnv } from '@mamori/services/mail';
import { reconcileHistory } from '@mamori/services/history';
import { sendRoundReminders } from '@mamori/services/rounds';
import { app } from './app.ts';
import type { Bindings } from './env.ts';

/**
 * The most cities one invocation of a fleet cron takes: each cron fires six times in its hour
 * (wrangler.toml), so 1,741 cities are done in three invocations, with three to spare.
 */
const CITIES_PER_INVOCATION = 600;

/**
 * Compares every published fact with its source rows in the city's database, and reports drift:
 * with `pass`, the next cities of the day's pass (each cron invocation goes on where the last stopped).
 */
export async function checkDrift(env: Bindings, options: { now?: number; pass?: boolean } = {}) {
	const core = openCore({ url: env.CORE_DATABASE_URL, authToken: env.CORE_DATABASE_AUTH_TOKEN });
	try {
		const report = await verifyAllPublications({
			core,
			open: (tenant) => openTenant({ url: tenant.databaseUrl, authToken: env.TENANT_DATABASE_AUTH_TOKEN }),
			...(options.pass ? { pass: { job: 'drift', limit: CITIES_PER_INVOCATION } } : {}),
			...(options.now ? { now: options.now } : {})
		});
		for (const d of report.drift)
			console.warn(
				`benchmark drift: ${d.slug} FY${d.fiscalYear} ${d.key}: published ${d.published}, source ${d.source}`
			);
		for (const e of report.errors) console.error(`benchmark drift check failed for ${e.slug}: ${e.error}`);
		console.log(
			`benchmark drift check: ${report.checkedTenants} cities, ${report.drift.length} differences${report.complete ? '' : ' (more remain: the next run continues)'}`
		);
		return report;
	} finally {
		core.$client.close();
	}
}

/** Deletes the sessions, invitations and password resets that can no longer be used. */
export async function runCleanup(env: Bindings, now = Date.now()) {
	const core = openCore({ url: env.CORE_DATABASE_URL, authToken: env.CORE_DATABASE_AUTH_TOKEN });
	try {
		const report = await deleteExpiredCredentials({ core, now });
		console.log(
			`credential cleanup: ${report.sessions} sessions, ${report.invitations} invitations, ${report.passwordResets} password resets deleted${report.complete ? '' : ' (more remain: the next run continues)'}`
		);
		return report;
	} finally {
		core.$client.close();
	}
}

/** Mails each department of every city its open tasks of a reporting round, at most once a day. */
export async function runReminders(env: Bindings, now = Date.now()) {
	if (!env.MAMORI_WEB_ORIGIN) {
		// A reminder without its link helps nobody; nothing is claimed, so a fixed setting sends today's.
		console.error('round reminders: MAMORI_WEB_ORIGIN is not set; no reminders sent');
		return null;
	}
	const core = openCore({ url: env.CORE_DATABASE_URL, authToken: env.CORE_DATABASE_AUTH_TOKEN });
	try {
		const report = await sendRoundReminders({
			core,
			open: (tenant) => openTenant({ url: tenant.databaseUrl, authToken: env.TENANT_DATABASE_AUTH_TOKEN }),
			mailer: mailerFromEnv(env, core),
			origin: env.MAMORI_WEB_ORIGIN,
			now,
			pass: { job: 'reminders', limit: CITIES_PER_INVOCATION }
		});
		console.log(
			`round reminders: ${report.cities} cities, ${report.reminders} departments, ${report.mails} mails, ${report.failures + report.errors.length} failures${report.complete ? '' : ' (more remain: the next run continues)'}`
		);
		return report;
	} finally {
		core.$client.close();
	}
}

/**
 * Completes the city histories of changes made in the core database whose city database failed
 * at the time (history/journal.ts): after it, the two databases agree.
 */
export async function runReconciler(env: Bindings, now = Date.now()) {
	const core = openCore({ url: env.CORE_DATABASE_URL, authToken: env.CORE_DATABASE_AUTH_TOKEN });
	try {
		const report = await reconcileHistory({
			core,
			open: (tenant) => openTenant({ url: tenant.databaseUrl, authToken: env.TENANT_DATABASE_AUTH_TOKEN }),
			now
		});
		for (const e of report.errors) console.error(`history reconciler failed for ${e.tenantId}: ${e.error}`);
		if (report.applied) console.log(`history reconciler: ${report.applied} rows written`);
		return report;
	} finally {
		core.$client.close();
	}
}

/** The crons of wrangler.toml, each with its job. */
export const crons = {
	drift: '5,15,25,35,45,55 18 * * *', // 03:05–03:55 JST, a slice of the day's pass each time
	cleanup: '30 18 * * *', // 03:30 JST, while nobody works
	reminders: '*/10 0 * * *', // 09:00–09:50 JST, when offices open, a slice each time
	reconciler: '*/10 * * * *'
} as const;

export default {
	fetch: app.fetch,
	async scheduled(controller, env, ctx) {
		switch (controller.cron) {
			case crons.drift:
				ctx.waitUntil(checkDrift(env, { now: controller.scheduledTime, pass: true }));
				break;
			case crons.cleanup:
				ctx.waitUntil(runCleanup(env, controller.scheduledTime));
				break;
			case crons.reminders:
				ctx.waitUntil(runReminders(env, controller.scheduledTime));
				break;
			case crons.reconciler:
				ctx.waitUntil(runReconciler(env, controller.scheduledTime));
				break;
			default:
				console.error(`scheduled: no job for the cron "${controller.cron}"`);
		}
	}
} satisfies ExportedHandler<Bindings>;
