// The order the progress roll-up counts in: least advanced first, then cancelled, then nothing
// reported. Its own module, with no imports, so that the page's table takes it without the
// roll-up's queries (drizzle and the schemas) in the browser bundle.
export const rollupStatuses = ['not_done', 'partial', 'done', 'completed', 'cancelled', 'unreported'] as const;
