// The one bounded pool of fleet jobs (the migrator, the backup, the drift check, the reminders): at
// most `concurrency` jobs at once over a list, so a fleet of 1,741 databases never opens 1,741 connections together.

/** Runs `job` on every item, at most `concurrency` at a time; answers the results in the items' order. */
export async function eachBounded<T, R>(
	items: readonly T[],
	concurrency: number,
	job: (item: T, index: number) => Promise<R>
): Promise<R[]> {
	const results: R[] = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await job(items[index]!, index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
	return results;
}
