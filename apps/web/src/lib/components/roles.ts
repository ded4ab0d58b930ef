// The words for a member's role in a city, one message function per role.
import { m } from '$lib/paraglide/messages';

export const roleLabel = { admin: m.role_admin, editor: m.role_editor, viewer: m.role_viewer } as const;
