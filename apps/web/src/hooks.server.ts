import { isUnreachable } from '@mamori/db';
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import {
	handleAdmission,
	handleAuth,
	handleContext,
	handleDatabase,
	handleHeaders,
	handleLocale
} from '$lib/server/handles';
import { translate } from '$lib/server/i18n';

export const handle: Handle = sequence(
	handleAdmission,
	handleLocale,
	handleDatabase,
	handleContext,
	handleAuth,
	handleHeaders
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (isUnreachable(error)) {
		event.locals.databaseUnavailable = true;
		console.error('database unreachable', error);
		return { message: translate(event.locals.locale, 'error_db_unavailable'), code: 'DB_UNAVAILABLE' };
	}
	if (status !== 404) console.error(error);
	return { message: translate(event.locals.locale, status === 404 ? 'error_not_found' : 'error_unexpected') };
};
