import type { CoreDb, RoundTrips, TenantDb } from '@mamori/db';
import type { RequestTenant } from '@mamori/services';
import type { Principal } from '@mamori/services/auth';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Set when a database could not be reached: the page then says so, with status 503. */
			code?: 'DB_UNAVAILABLE' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'TENANT_SUSPENDED';
		}
		interface Locals {
			core: CoreDb;
			/** This request's database round trips, core and city together (handleDatabase). */
			roundTrips: RoundTrips;
			/** The signed-in user with memberships and offices (handleContext); null when anonymous. */
			principal: Principal | null;
			session?: { id: string; expiresAt: Date };
			/** The city of a /{tenant}/… request and its database, opened by handleContext. */
			tenant?: RequestTenant;
			tenantDb?: TenantDb;
			databaseUnavailable?: boolean;
			/** The shared codes' stamp read with the session (the taxonomy may then come from the isolate's cache). */
			sharedStamp?: string | undefined;
			locale: import('$lib/paraglide/runtime').Locale;
		}
		interface Platform {
			env: {
				MAMORI_ENV?: string;
				CORE_DATABASE_URL: string;
				CORE_DATABASE_AUTH_TOKEN?: string;
				TENANT_DATABASE_AUTH_TOKEN?: string;
				/** How long one database request may take, in ms (default DATABASE_DEADLINE_MS, 8 s). */
				DATABASE_DEADLINE_MS?: string;
				/** Requests an isolate works on at once; the others wait their turn (lib/server/admission.ts; 0: no limit). */
				REQUESTS_IN_FLIGHT?: string;
				/** The TenantDirectory for the operator console (see @mamori/db/directory directoryFromEnv). */
				MAMORI_DB?: string;
				SQLD_HTTP_URL?: string;
				SQLD_ADMIN_URL?: string;
				SQLD_AUTH_TOKEN?: string;
				TURSO_ORGANIZATION?: string;
				TURSO_GROUP?: string;
				TURSO_API_TOKEN?: string;
				TURSO_GROUP_TOKEN?: string;
				TURSO_API_URL?: string;
				/** outbox: the local mailer (console + /operator/mail) even in production (staging). */
				MAMORI_MAILER?: string;
				/** Mail that leaves the building (see README, "Mail"): the sender, and Email Service or an HTTP provider. */
				MAMORI_MAIL_FROM?: string;
				EMAIL?: import('@mamori/services/mail').SendEmailBinding;
				/** The Workers rate-limiting bindings in front of sign-in and password reset (lib/server/rate-limit.ts). */
				SIGN_IN_RATE_LIMIT?: import('$lib/server/rate-limit').RateLimitBinding;
				PASSWORD_RESET_RATE_LIMIT?: import('$lib/server/rate-limit').RateLimitBinding;
				MAMORI_MAIL_HTTP_URL?: string;
				MAMORI_MAIL_HTTP_TOKEN?: string;
				/** "1" serves the baseline page of `npm run bench` (/bench/baseline); nowhere else. */
				MAMORI_BENCH?: string;
			};
		}
	}
}

export {};
