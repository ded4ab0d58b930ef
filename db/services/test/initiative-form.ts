// An initiative's edit form as its page serves it: what saving it unchanged posts.
import type { readInitiative } from '../src/plan/initiatives.ts';

export function savedForm(detail: Awaited<ReturnType<typeof readInitiative>>) {
	return {
		id: detail.initiative.id,
		version: detail.initiative.version,
		title: detail.initiative.title,
		description: detail.initiative.description ?? '',
		planRef: detail.initiative.planRef ?? '',
		departmentIds: detail.departments.map((d) => d.id),
		categoryCodes: detail.categoryCodes
	};
}
