// Who answers for a department of a city: the people reminders and mentions are mailed to.
import { and, eq, inArray } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { memberships, users } from '@mamori/db/core';

/** The key of "no department": tasks and mentions of initiatives that name none go to the city's admins. */
export const NO_DEPARTMENT = '';

/**
 * The e-mail addresses of a department's staff: the editors and admins limited to it. A
 * department nobody is limited to, and NO_DEPARTMENT, are answered for by the city's admins
 * (the crime-prevention section), so nothing goes unasked.
 */
export async function departmentStaff({
	core,
	tenantId,
	departmentIds
}: {
	core: CoreDb;
	tenantId: string;
	departmentIds: readonly string[];
}): Promise<Map<string, string[]>> {
	const members = await core
		.select({ email: users.email, role: memberships.role, departmentIds: memberships.departmentIds })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.tenantId, tenantId), inArray(memberships.role, ['editor', 'admin'])));
	const admins = members.filter((m) => m.role === 'admin').map((m) => m.email);
	const staff = new Map<string, string[]>();
	for (const id of departmentIds) {
		const limited =
			id === NO_DEPARTMENT ? [] : members.filter((m) => m.departmentIds?.includes(id)).map((m) => m.email);
		staff.set(id, (limited.length ? limited : admins).toSorted());
	}
	return staff;
}
