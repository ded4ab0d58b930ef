// The one comment action: the initiative page's and a submission's (the task page) post here.
import type { RequestEvent } from '@sveltejs/kit';
import { addComment, mailMentions } from '@mamori/services/rounds';
import { mailerOf } from './mail.ts';
import { afterResponse } from './platform.ts';
import { formAction, tenantContext, tenantOf } from './workspace.ts';

/**
 * Adds a comment on `initiativeId` (on one submission when the form sends `taskId`); the
 * mentioned departments' staff are mailed after the answer, so a failed mail loses nothing.
 */
export function commentAction(event: RequestEvent, initiativeId: () => Promise<string> | string, name = 'comment') {
	return formAction(
		event,
		name,
		async (values) => {
			const ctx = tenantContext(event.locals);
			const comment = await addComment({ ctx, input: { ...values, initiativeId: await initiativeId() } });
			const tenant = tenantOf(event.locals);
			afterResponse(
				event.platform,
				'comment mentions mail',
				mailMentions({
					ctx,
					mailer: mailerOf(event),
					comment,
					city: tenant.name,
					url: `${event.url.origin}/${tenant.slug}/initiatives/${comment.initiativeId}`
				})
			);
		},
		{ lists: ['mentions'] }
	);
}
