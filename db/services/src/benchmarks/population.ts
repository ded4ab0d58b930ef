// The population a published figure is normalised by: the municipality's figure whose reference
// date is nearest the middle of the figure's period (a fiscal year's is 1 October, a calendar
// year's 1 July; of two equally near, the earlier). A join condition, so that every view stays
// one query.
import { and, eq, sql } from 'drizzle-orm';
import { benchmarkFacts } from '@mamori/db/core/benchmarks';
import { municipalityPopulations } from '@mamori/db/core';

const middle = sql`(${benchmarkFacts.periodYear} || CASE ${benchmarkFacts.periodKind} WHEN 'fiscal_year' THEN '-10-01' ELSE '-07-01' END)`;

// The nearest date is the latest on or before the middle or the earliest after it. sqld's SQLite
// (3.45) cannot read the outer row in a subquery's ORDER BY, so no "ORDER BY distance LIMIT 1";
// the inner table is aliased, as the outer query joins municipality_populations under its name.
const onOrBefore = sql`(SELECT max(p.reference_date) FROM municipality_populations p
	WHERE p.municipality_code = ${benchmarkFacts.municipalityCode} AND p.reference_date <= ${middle})`;
const after = sql`(SELECT min(p.reference_date) FROM municipality_populations p
	WHERE p.municipality_code = ${benchmarkFacts.municipalityCode} AND p.reference_date > ${middle})`;
const nearestReferenceDate = sql`(CASE WHEN ${onOrBefore} IS NULL THEN ${after} WHEN ${after} IS NULL THEN ${onOrBefore}
	WHEN julianday(${middle}) - julianday(${onOrBefore}) <= julianday(${after}) - julianday(${middle}) THEN ${onOrBefore}
	ELSE ${after} END)`;

/** `leftJoin(municipalityPopulations, populationNearFact)`: no row when the city has no population. */
export const populationNearFact = and(
	eq(municipalityPopulations.municipalityCode, benchmarkFacts.municipalityCode),
	eq(municipalityPopulations.referenceDate, nearestReferenceDate)
)!;
