// What a city shows its residents: its page (opened by its admin) and what the page reads.
export * from './published-plan.ts';
export * from './resident-page.ts';
