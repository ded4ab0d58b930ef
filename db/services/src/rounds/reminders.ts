// Reminders of a reporting round: once a day, from the lead time before the deadline until the
// round is closed, each department with tasks still to do is mailed once. The API worker's
// scheduled handler runs this over every active city.
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { CoreDb, TenantDb } from '@mamori/db';
import { newId } from '@mamori/db';
import { municipalities, tenants } from '@mamori/db/core';
import { departments, reportingRounds, roundReminders, roundTasks } from '@mamori/db/tenant';
import type { VerbArgs } from '../context.ts';
import { target } from '../domain/forms.ts';
import { parseInput } from '../errors.ts';
import { fiscalYearLabel } from '../domain/fiscal-year.ts';
import type { Mailer } from '../mail/index.ts';
import { word } from '../words.ts';
import { japanDay, OPEN_TASK_STATES } from './rounds.ts';
import { departmentStaff, NO_DEPARTMENT } from './staff.ts';
import { runFleetPass } from '../fleet/pass.ts';

const DAY = 86_400_000;

function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** lead from the lead time up to the deadline (inclusive), overdue after it, nothing before. */
export function reminderKind(
	round: { deadline: string; reminderLeadDays: number },
	today: string
): 'lead' | 'overdue' | null {
	if (today > round.deadline) return 'overdue';
	return today >= addDays(round.deadline, -round.reminderLeadDays) ? 'lead' : null;
}

const deadlineFormat = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'long', timeZone: 'UTC' });

export interface CityReminders {
	slug: string;
	/** Departments claimed and mailed today (whether or not every mail went out). */
	reminders: number;
	mails: number;
	failures: number;
}

export interface ReminderReport {
	cities: number;
	reminders: number;
	mails: number;
	failures: number;
	byCity: CityReminders[];
	/** Cities whose database could not be read: the others were reminded all the same. */
	errors: { slug: string; error: string }[];
	/** false while the day's pass leaves cities for the next scheduled invocation. */
	complete: boolean;
}

interface City {
	id: string;
	slug: string;
	name: string;
	databaseUrl: string;
}

/**
 * Reminds every active city's departments of their open tasks, a few cities at a time; with
 * `pass`, only the next `limit` cities of the day's pass (fleet/pass.ts). A reminder is claimed by
 * inserting its log row first: the unique (round, department, day) makes a second run on the same
 * day (a retried cron, two workers, a city tried again after a transient failure) send nothing more.
 */
export async function sendRoundReminders({
	core,
	open,
	mailer,
	origin,
	now = Date.now(),
	pass,
	log = (line) => console.log(line)
}: {
	core: CoreDb;
	/** Opens a city's database from its directory row. */
	open: (tenant: { databaseUrl: string }) => TenantDb;
	mailer: Mailer;
	/** Where the web app is served (links in the mails), e.g. https://mamori.example. */
	origin: string;
	now?: number;
	pass?: { job: string; limit: number };
	log?: (line: string) => void;
}): Promise<ReminderReport> {
	const cities = await core
		.select({ id: tenants.id, slug: tenants.slug, name: municipalities.name, databaseUrl: tenants.databaseUrl })
		.from(tenants)
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode))
		.where(eq(tenants.status, 'active'))
		.orderBy(tenants.slug);
	const { outcomes, complete } = await runFleetPass({
		core,
		cities,
		...(pass ? { pass } : {}),
		now,
		retry: {
			onRetry: (city, error, attempt) =>
				log(`round reminders: ${city.slug}: retrying after attempt ${attempt}: ${String(error)}`)
		},
		each: async (city) => {
			const db = open(city);
			try {
				return await remindCity({ core, db, city, mailer, origin: origin.replace(/\/+$/, ''), now });
			} finally {
				db.$client.close();
			}
		}
	});
	const report: ReminderReport = { cities: 0, reminders: 0, mails: 0, failures: 0, byCity: [], errors: [], complete };
	for (const outcome of outcomes) {
		const { slug } = outcome.city;
		if (!outcome.ok) {
			report.errors.push({ slug, error: outcome.error });
			log(`round reminders: ${slug}: failed: ${outcome.error}`);
			continue;
		}
		const done = outcome.value;
		report.cities++;
		report.reminders += done.reminders;
		report.mails += done.mails;
		report.failures += done.failures;
		report.byCity.push(done);
		log(`round reminders: ${slug}: ${done.reminders} departments, ${done.mails} mails, ${done.failures} failed`);
	}
	return report;
}

async function remindCity({
	core,
	db,
	city,
	mailer,
	origin,
	now
}: {
	core: CoreDb;
	db: TenantDb;
	city: City;
	mailer: Mailer;
	origin: string;
	now: number;
}): Promise<CityReminders> {
	const done: CityReminders = { slug: city.slug, reminders: 0, mails: 0, failures: 0 };
	const today = japanDay(now);
	const rounds = await db.select().from(reportingRounds).where(eq(reportingRounds.state, 'open'));
	for (const round of rounds) {
		const kind = reminderKind(round, today);
		if (!kind) continue;
		const departmentKey = sql<string>`coalesce(${roundTasks.departmentId}, ${NO_DEPARTMENT})`;
		const open = await db
			.select({ departmentId: departmentKey, openTasks: count() })
			.from(roundTasks)
			.where(and(eq(roundTasks.roundId, round.id), inArray(roundTasks.state, OPEN_TASK_STATES)))
			.groupBy(departmentKey);
		if (!open.length) continue;
		const ids = open.map((d) => d.departmentId);
		const [staff, names] = await Promise.all([
			departmentStaff({ core, tenantId: city.id, departmentIds: ids }),
			db.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.id, ids))
		]);
		const nameOf = new Map(names.map((d) => [d.id, d.name]));
		for (const { departmentId, openTasks } of open) {
			const claimed = await db
				.insert(roundReminders)
				.values({
					id: newId(now),
					roundId: round.id,
					departmentId,
					kind,
					day: today,
					openTasks,
					recipients: [],
					sentAt: new Date(now)
				})
				.onConflictDoNothing()
				.returning({ id: roundReminders.id });
			if (!claimed.length) continue; // already reminded today
			done.reminders++;
			const params = {
				city: city.name,
				department: nameOf.get(departmentId) ?? word('ja', { key: 'reminder_no_department' }),
				fiscalYear: fiscalYearLabel(round.fiscalYear),
				deadline: deadlineFormat.format(new Date(`${round.deadline}T00:00:00Z`)),
				openTasks,
				url: `${origin}/${city.slug}/tasks`
			};
			const subject = word('ja', { key: `mail_reminder_${kind}_subject`, params });
			const text = word('ja', { key: `mail_reminder_${kind}_body`, params });
			const recipients: string[] = [];
			const errors: string[] = [];
			const to = staff.get(departmentId) ?? [];
			if (!to.length) errors.push('nobody answers for this department (no admin in the city)');
			for (const address of to) {
				try {
					await mailer.send({ to: address, subject, text });
					recipients.push(address);
				} catch (error) {
					errors.push(`${address}: ${error instanceof Error ? error.message : String(error)}`);
				}
			}
			done.mails += recipients.length;
			done.failures += errors.length;
			await db
				.update(roundReminders)
				.set({ recipients, error: errors.length ? errors.join('\n') : null })
				.where(eq(roundReminders.id, claimed[0]!.id));
		}
	}
	return done;
}

export interface ReminderLogRow {
	id: string;
	day: string;
	kind: 'lead' | 'overdue';
	departmentId: string;
	/** null for NO_DEPARTMENT, and for a department since deleted. */
	departmentName: string | null;
	openTasks: number;
	recipients: string[];
	error: string | null;
	sentAt: Date;
}

/** The reminders a round has sent, newest first: the city admin's round page shows them. */
export async function listRoundReminders({ ctx, input: raw }: VerbArgs): Promise<ReminderLogRow[]> {
	ctx.authorize('round.manage');
	const { id: roundId } = parseInput(target, raw);
	return ctx.db
		.select({
			id: roundReminders.id,
			day: roundReminders.day,
			kind: roundReminders.kind,
			departmentId: roundReminders.departmentId,
			departmentName: departments.name,
			openTasks: roundReminders.openTasks,
			recipients: roundReminders.recipients,
			error: roundReminders.error,
			sentAt: roundReminders.sentAt
		})
		.from(roundReminders)
		.leftJoin(departments, eq(departments.id, roundReminders.departmentId))
		.where(eq(roundReminders.roundId, roundId))
		.orderBy(desc(roundReminders.day), desc(roundReminders.sentAt), departments.name);
}
