// The proposal a document yields: the plan in the shape of a seed city file (seeds/README.md),
// each part with the line it came from, and every line it could not place.
import type { CategorySuggestion } from './categories.ts';
import type { Period } from './years.ts';

export type Phase = 'actual' | 'plan' | 'summary';
export interface RecordColumns {
	actual?: string;
	plan?: string;
	summary?: string;
}

export interface ProposedMetric {
	label: string;
	value: number;
	unit: string;
	period: Period;
	approximate?: true;
	cumulative?: true;
}

export interface ProposedRecord {
	line: number;
	fiscalYear: number;
	/** The year was printed without its era (13年度) and read in the document's era. */
	yearInferred?: true;
	phase: Phase;
	department?: string;
	text: string;
	metrics: ProposedMetric[];
}

export interface ProposedInitiative {
	line: number;
	code?: string;
	title: string;
	description?: string;
	planRef?: string;
	departments: string[];
	departmentNote?: string;
	categories: CategorySuggestion[];
	records: ProposedRecord[];
}

export interface Measured {
	value?: number;
	text?: string;
	period?: Period;
	note?: string;
}

export interface ProposedKpi {
	line: number;
	name: string;
	unit: string;
	direction: 'higher' | 'lower';
	/** Why that direction: an arrow, the two values, or the words. */
	directionReason: 'arrow' | 'values' | 'words' | 'default';
	baseline?: Measured;
	target?: Measured;
}

export interface ProposedStatistic {
	label: string;
	value: number;
	unit: string;
	period: Period;
}

export interface ProposedNode {
	line: number;
	code?: string;
	title: string;
	subtitle?: string;
	summary?: string;
	currentState?: string[];
	relatedPlans?: string[];
	recordColumns?: RecordColumns;
	children: ProposedNode[];
	initiatives: ProposedInitiative[];
	indicators: ProposedKpi[];
	statistics: ProposedStatistic[];
}

export interface ProposedReference {
	title: string;
	periodStart?: number;
	periodEnd?: number;
	section?: string;
	page?: string;
}

export interface UnplacedLine {
	line: number;
	text: string;
}

export interface DocumentProposal {
	plan: {
		title: string;
		kind: 'plan' | 'guideline' | 'report';
		periodStart?: number;
		periodEnd?: number;
		levelLabels: string[];
		initiativeLabel: string;
		recordColumns?: RecordColumns;
		references: ProposedReference[];
	};
	departments: { name: string; parent?: string }[];
	nodes: ProposedNode[];
	/** Every non-empty line no rule placed, with its number: never dropped. */
	unplaced: UnplacedLine[];
	/** What the whole document lacks (no structure found), each with a line where it applies. */
	messages: { line: number; key: string }[];
}
