// A fleet job's pass over the cities (the drift check, the reminders): a few cities at a time, each
// tried again after a transient failure with the fleet's one retry, and, when given a pass, split
// across scheduled invocations: each invocation takes up to `limit` cities after the last one done
// (fleet_job_passes), so 1,741 cities never have to fit in one invocation's time.
import { eq } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { fleetJobPasses } from '@mamori/db/core';
import { eachBounded, withRetry } from '@mamori/db/fleet';
import { japanDay } from '../rounds/rounds.ts';

export interface PassOptions {
	/** The job's name in fleet_job_passes. */
	job: string;
	/** What a pass covers: a new period begins a new pass. By default the Japanese day of `now`. */
	period?: string;
	/** The most cities one invocation takes. */
	limit: number;
}

export type CityOutcome<T, R> = { city: T; ok: true; value: R } | { city: T; ok: false; error: string };

export interface PassReport<T, R> {
	outcomes: CityOutcome<T, R>[];
	/** Whether the pass (of this period) is done: false while cities remain for the next invocation. */
	complete: boolean;
	/** Cities left for later invocations of this period. */
	remaining: number;
}

/** The cities in the order a pass takes them: by slug. */
export function inPassOrder<T extends { slug: string }>(cities: readonly T[]): T[] {
	return [...cities].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/**
 * Runs `each` on the cities (in slug order), `concurrency` at a time, retrying transient failures;
 * a city that still fails is reported, never stops the others. Without `pass`, every city in one go.
 */
export async function runFleetPass<T extends { slug: string }, R>({
	core,
	cities,
	pass,
	concurrency = 8,
	retry = {},
	now = Date.now(),
	each
}: {
	core: CoreDb;
	cities: T[];
	pass?: PassOptions;
	concurrency?: number;
	retry?: { attempts?: number; baseMs?: number; onRetry?: (city: T, error: unknown, attempt: number) => void };
	now?: number;
	each: (city: T) => Promise<R>;
}): Promise<PassReport<T, R>> {
	const ordered = inPassOrder(cities);
	const period = pass?.period ?? japanDay(now);
	let slice = ordered;
	if (pass) {
		const [row] = await core.select().from(fleetJobPasses).where(eq(fleetJobPasses.job, pass.job));
		const current = row?.period === period ? row : undefined;
		if (current?.completedAt) return { outcomes: [], complete: true, remaining: 0 };
		const after = current?.after ?? null;
		const rest = after === null ? ordered : ordered.filter((c) => c.slug > after);
		slice = rest.slice(0, pass.limit);
	}
	const outcomes = await eachBounded(slice, concurrency, async (city): Promise<CityOutcome<T, R>> => {
		try {
			const value = await withRetry(() => each(city), {
				...(retry.attempts ? { attempts: retry.attempts } : {}),
				...(retry.baseMs ? { baseMs: retry.baseMs } : {}),
				onRetry: (error, attempt) => retry.onRetry?.(city, error, attempt)
			});
			return { city, ok: true, value };
		} catch (error) {
			return { city, ok: false, error: error instanceof Error ? error.message : String(error) };
		}
	});
	if (!pass) return { outcomes, complete: true, remaining: 0 };
	const last = slice.at(-1);
	const remaining = last ? ordered.filter((c) => c.slug > last.slug).length : 0;
	const state = {
		period,
		after: last?.slug ?? null,
		completedAt: remaining === 0 ? new Date(now) : null,
		updatedAt: new Date(now)
	};
	// Moved on once the slice is done: an invocation cut short does its slice again next time.
	await core
		.insert(fleetJobPasses)
		.values({ job: pass.job, ...state })
		.onConflictDoUpdate({ target: fleetJobPasses.job, set: state });
	return { outcomes, complete: remaining === 0, remaining };
}
