// How long a field may be: the schemas enforce it, and the web app's fields say it (maxlength,
// hints). Its own module, with no imports, so that a browser bundle taking a limit does not take
// zod and the schemas with it.
export const LIMITS = { title: 200, text: 20_000, label: 100, unit: 20, note: 2_000 } as const;

export const COMMENT_MAX = 2_000;
