// Comments on an initiative, or on one submission of it in a reporting round; a comment may
// mention departments of the city, whose staff are then mailed. Any editor or admin of the city
// may comment on any initiative (a department limit restricts changes, not conversation).
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { comments, departments, initiatives, roundTasks } from '@mamori/db/tenant';
import type { TenantContext, VerbArgs } from '../context.ts';
import { commentInput, commentsQuery } from '../domain/forms.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import type { Mailer } from '../mail/index.ts';
import { word } from '../words.ts';
import { departmentStaff } from './staff.ts';

/** A comment as it is shown: who wrote it (account and role), when, and the departments it names. */
export interface CommentView {
	id: string;
	initiativeId: string;
	taskId: string | null;
	kind: 'comment' | 'return';
	body: string;
	mentions: { id: string; name: string }[];
	actorEmail: string | null;
	actorRole: string | null;
	at: Date;
}

/** Saves a comment. The mail to the mentioned departments is `mailMentions`, sent after the answer. */
export async function addComment({ ctx, input: raw }: VerbArgs): Promise<CommentView & { initiativeTitle: string }> {
	ctx.authorize('plan.comment');
	const input = parseInput(commentInput, raw);
	const mentions = [...new Set(input.mentions)];
	const [items, tasks, live] = await ctx.db.batch([
		ctx.db
			.select({ id: initiatives.id, title: initiatives.title })
			.from(initiatives)
			.where(and(eq(initiatives.id, input.initiativeId), isNull(initiatives.deletedAt))),
		ctx.db
			.select({ id: roundTasks.id })
			.from(roundTasks)
			.where(and(eq(roundTasks.id, input.taskId ?? ''), eq(roundTasks.initiativeId, input.initiativeId))),
		ctx.db
			.select({ id: departments.id, name: departments.name })
			.from(departments)
			.where(and(inArray(departments.id, mentions.length ? mentions : ['']), isNull(departments.deletedAt)))
	]);
	const item = items[0];
	if (!item) throw new NotFoundError('initiative');
	if (input.taskId && !tasks[0]) throw invalid('taskId', 'comment_error_task');
	if (live.length !== mentions.length) throw invalid('mentions', 'error_department_unknown');
	const name = new Map(live.map((d) => [d.id, d.name]));
	const row = {
		id: newId(),
		initiativeId: item.id,
		taskId: input.taskId ?? null,
		kind: 'comment' as const,
		body: input.body,
		mentions: mentions.length ? mentions : null,
		actorId: ctx.actor.id,
		actorEmail: ctx.actor.email ?? null,
		actorRole: ctx.actor.role ?? null,
		at: new Date(ctx.now())
	};
	await ctx.db.insert(comments).values(row);
	return {
		...row,
		mentions: mentions.map((id) => ({ id, name: name.get(id)! })),
		initiativeTitle: item.title
	};
}

/**
 * The comments of an initiative, oldest first: all of them, or those on one submission (`taskId`).
 * A mentioned department since deleted is still named.
 */
export async function listComments({ ctx, input: raw }: VerbArgs): Promise<CommentView[]> {
	ctx.authorize('plan.read');
	const input = parseInput(commentsQuery, raw);
	const [rows, names] = await ctx.db.batch([
		ctx.db
			.select()
			.from(comments)
			.where(
				and(eq(comments.initiativeId, input.initiativeId), input.taskId ? eq(comments.taskId, input.taskId) : undefined)
			)
			.orderBy(asc(comments.at), asc(comments.id)),
		ctx.db.select({ id: departments.id, name: departments.name }).from(departments)
	]);
	const name = new Map(names.map((d) => [d.id, d.name]));
	return rows.map((c) => ({
		id: c.id,
		initiativeId: c.initiativeId,
		taskId: c.taskId,
		kind: c.kind,
		body: c.body,
		mentions: (c.mentions ?? []).map((id) => ({ id, name: name.get(id) ?? '' })),
		actorEmail: c.actorEmail,
		actorRole: c.actorRole,
		at: c.at
	}));
}

/**
 * Mails the staff of the departments a comment mentions (departmentStaff: those limited to the
 * department, else the city's admins), one mail per person naming every department of theirs it
 * mentions; the author is not mailed. Worded in Japanese, the city's language. A mail that fails
 * is reported, never thrown: the comment is saved already.
 */
export async function mailMentions({
	ctx,
	mailer,
	comment,
	city,
	url
}: {
	ctx: Pick<TenantContext, 'core' | 'tenant' | 'actor'>;
	mailer: Mailer;
	comment: Pick<CommentView, 'body' | 'mentions' | 'actorEmail'> & { initiativeTitle: string };
	city: string;
	/** The initiative's page. */
	url: string;
}): Promise<{ sent: string[]; failed: string[] }> {
	if (comment.mentions.length === 0) return { sent: [], failed: [] };
	const staff = await departmentStaff({
		core: ctx.core,
		tenantId: ctx.tenant.id,
		departmentIds: comment.mentions.map((d) => d.id)
	});
	const namesOf = new Map<string, string[]>();
	for (const d of comment.mentions)
		for (const email of staff.get(d.id) ?? [])
			if (email !== comment.actorEmail) namesOf.set(email, [...(namesOf.get(email) ?? []), d.name]);
	const recipients = [...namesOf.keys()];
	const results = await Promise.allSettled(
		recipients.map((to) => {
			const params = {
				city,
				initiative: comment.initiativeTitle,
				departments: namesOf.get(to)!.join('、'),
				author: comment.actorEmail ?? '',
				body: comment.body,
				url
			};
			return mailer.send({
				to,
				subject: word('ja', { key: 'comment_mail_subject', params }),
				text: word('ja', { key: 'comment_mail_body', params })
			});
		})
	);
	const failed = recipients.filter((_, i) => results[i]!.status === 'rejected');
	for (const [i, r] of results.entries())
		if (r.status === 'rejected') console.error(`comment mail to ${recipients[i]} failed`, r.reason);
	return { sent: recipients.filter((to) => !failed.includes(to)), failed };
}
