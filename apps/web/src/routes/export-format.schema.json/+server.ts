// The published JSON Schema of the city export format, generated from the format itself
// (@mamori/services/export format.ts); docs/export-format.md describes it.
import { exportJsonSchema } from '@mamori/services/export';
import { json } from '@sveltejs/kit';
import type { EndpointAccess } from '$lib/server/access';
import type { RequestHandler } from './$types';

export const _access = { GET: 'public' } satisfies EndpointAccess;

export const GET: RequestHandler = () =>
	json(exportJsonSchema(), { headers: { 'content-type': 'application/schema+json; charset=utf-8' } });
