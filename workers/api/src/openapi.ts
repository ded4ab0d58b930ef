// Every router of the API is an OpenAPIHono made here, so that each endpoint is declared once with
// createRoute (path, parameters from the shared zod schemas of @mamori/services, responses) and
// appears in /v1/openapi.json by construction. Parameters that do not validate are answered as the
// services answer invalid input: an InvalidError, so a 400 problem with a message per field.
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import { InvalidError, issuesOf } from '@mamori/services';
import type { AppEnv } from './env.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the hook is shared by every route's input type
const invalidInput: Hook<any, AppEnv, any, any> = (result) => {
	if (!result.success) throw new InvalidError(issuesOf(result.error as unknown as Parameters<typeof issuesOf>[0]));
};

/** A router of the API: `createApi().openapi(createRoute({ …, middleware: [requires(…)] }), handler)`. */
export function createApi() {
	return new OpenAPIHono<AppEnv>({ defaultHook: invalidInput });
}

/** What /v1/openapi.json says of the API itself. */
export const documentInfo = {
	openapi: '3.1.0',
	info: {
		title: 'Mamori API',
		version: '1',
		description:
			'防犯計画の公開データ（分類、共通指標、参加自治体、公開された計画と進捗、ベンチマーク）と、自治体の API トークンによる読み書き。Public data of Mamori (taxonomy, shared indicators, subscribed cities, published plans and progress, benchmark facts) and the cities\u2019 reads and writes with their API tokens. Errors are RFC 9457 problem details (application/problem+json) in Japanese and English. Lists answer CSV (UTF-8 with a BOM) with ?format=csv or Accept: text/csv.'
	},
	servers: [{ url: '/' }]
};
