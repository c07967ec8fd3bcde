// Workspace administration (settings, other users' sessions, SSO, security policies) is for
// the owner and admins. Record-level permissions go through the authorization engine instead.
import type { Actor } from '../actor.js';
import { ForbiddenError } from '../errors.js';

export const administratorRoles = new Set(['owner', 'admin']);

export function isAdministrator(actor: Actor): boolean {
  return administratorRoles.has(actor.role);
}

export function assertAdministrator(actor: Actor): void {
  if (!isAdministrator(actor)) throw new ForbiddenError('auth.forbidden', 'Only the workspace owner or an admin may do this');
}
