// What checking a sheet's rows shares: the proposal it builds, and the comparisons and the
// authoriser's answer as a row's check asks them.
import type { Message } from '../errors.ts';
import { AccessDeniedError } from '../errors.ts';
import type { Statement } from '../plan/versioned.ts';
import type { Cell } from '../sheets/read.ts';
import type { SheetProblem, SheetTable } from './layout.ts';
import { PHASE_WORDS, type Phase, type PlanState } from './state.ts';

/** One row's change, as the preview lists it. */
export interface RowChange {
	sheet: 'initiatives' | 'records';
	row: number;
	kind: 'add' | 'change';
	id: string | null;
	title: string;
	/** The headers of the columns that change. */
	columns: string[];
}

export interface Proposal {
	problems: SheetProblem[];
	changes: RowChange[];
	unchanged: { initiatives: number; records: number };
	/** What the change rests on (the ids and versions it read, the values it writes): the digest of the preview. */
	basis: unknown[];
	statements: Statement[];
}

export const PHASES = new Map<string, Phase>([
	...Object.entries(PHASE_WORDS).map(([k, v]) => [v, k as Phase] as const),
	['取組み', 'actual'],
	['計画', 'plan'],
	['actual', 'actual'],
	['plan', 'plan'],
	['summary', 'summary']
]);

export const sameList = (a: readonly unknown[], b: readonly unknown[]) =>
	a.length === b.length && a.every((v, i) => v === b[i]);
export const same = (db: string | null, sheet: string | null | undefined) => (db ?? '').trim() === (sheet ?? '').trim();
export const versionOf = (cell: Cell): number | undefined => {
	const n = typeof cell === 'number' ? cell : cell === null ? NaN : Number(String(cell).normalize('NFKC').trim());
	return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** Asks the authoriser; a refusal becomes a located problem rather than a refusal of the whole file. */
export function allowed(check: () => void): boolean {
	try {
		check();
		return true;
	} catch (error) {
		if (error instanceof AccessDeniedError) return false;
		throw error;
	}
}

/** What a row's check is given besides its cells. */
export type Helpers = {
	locate: <C extends string>(
		table: SheetTable<C>,
		row: number,
		column: C,
		headers: Record<C, string>
	) => (reason: Message) => void;
	departmentIds: (names: string[], problem: (m: Message) => void) => string[];
	initiativeById: Map<string, PlanState['initiatives'][number]>;
	recordById: Map<string, PlanState['records'][number]>;
	nextRecordPosition: Map<string, number>;
	now: Date;
};
