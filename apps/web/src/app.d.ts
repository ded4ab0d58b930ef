import type { CoreDb, TenantDb } from '@mamori/db';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Set when a database could not be reached: the page then says so, with status 503. */
			code?: 'DB_UNAVAILABLE';
		}
		interface Locals {
			core: CoreDb;
			user?: { id: string; displayName: string; email: string };
			tenant?: { id: string; slug: string; name: string; prefectureName: string; status: 'active' | 'suspended' };
			tenantDb?: TenantDb;
			databaseUnavailable?: boolean;
			locale: import('$lib/i18n').Locale;
		}
		interface Platform {
			env: {
				MAMORI_ENV?: string;
				CORE_DATABASE_URL: string;
				CORE_DATABASE_AUTH_TOKEN?: string;
				TENANT_DATABASE_AUTH_TOKEN?: string;
			};
		}
	}
}

export {};
