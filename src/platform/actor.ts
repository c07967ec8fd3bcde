// Who is acting: set by authentication on every API request, passed to every service call
// and recorded in the change log.
export type ActorType = 'user' | 'api_key' | 'system';

export interface Actor {
  tenantId: string;
  userId: string | null;
  name: string | null;
  type: ActorType;
  role: string;
  requestId?: string;
  ip?: string;
}

/**
 * The signed-in actor of one request, written out field by field rather than
 * `{ ...actor, requestId, ip }` (platform/objects.ts says why). A new field of Actor belongs here
 * too; TypeScript names a missing required one.
 */
export function actorOfRequest(actor: Actor, requestId: string, ip: string): Actor {
  return { tenantId: actor.tenantId, userId: actor.userId, name: actor.name, type: actor.type, role: actor.role, requestId, ip };
}

export function systemActor(tenantId: string, name = 'Rapport'): Actor {
  return { tenantId, userId: null, name, type: 'system', role: 'system' };
}
