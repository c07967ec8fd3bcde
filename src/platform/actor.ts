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

export function systemActor(tenantId: string, name = 'Rapport'): Actor {
  return { tenantId, userId: null, name, type: 'system', role: 'system' };
}
