import type { CoreDb, TenantDb } from '@mamori/db';
import type { RequestTenant } from '@mamori/services';
import type { Principal } from '@mamori/services/auth';
import type { MailEnv } from '@mamori/services/mail';

export interface Bindings extends MailEnv {
	CORE_DATABASE_URL: string;
	CORE_DATABASE_AUTH_TOKEN?: string;
	TENANT_DATABASE_AUTH_TOKEN?: string;
	/** Where the web app is served: the links in reminder mails (https://…, no trailing slash needed). */
	MAMORI_WEB_ORIGIN?: string;
	/** Workers rate limiting (wrangler.toml [[ratelimits]]): requests per bearer token, and per address without one. */
	RATE_LIMIT_TOKEN?: RateLimit;
	RATE_LIMIT_ADDRESS?: RateLimit;
}

export interface Variables {
	core: CoreDb;
	/**
	 * Who is asking; null when anonymous. `requires` (middleware/access.ts) reads it from
	 * `Authorization: Bearer <token>`: a session, or a city's API token.
	 */
	principal: Principal | null;
	/** The city of a tenant route, once the principal may act there (see middleware/access.ts). */
	tenant?: RequestTenant;
	tenantDb?: TenantDb;
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };
