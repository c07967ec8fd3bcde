import { describe, expect, it } from 'vitest';
import { actorOfRequest, type Actor } from './actor.js';

describe('the actor of a request', () => {
  it('carries every field of the signed-in actor, with the request id and address', () => {
    // Required<Actor>: a field added to Actor must be added here, and then to actorOfRequest.
    const expected: Required<Actor> = {
      tenantId: '019a0000-0000-7000-8000-000000000001', userId: '019a0000-0000-7000-8000-000000000002',
      name: 'Ada Lovelace', type: 'user', role: 'admin', requestId: 'req-1', ip: '203.0.113.7',
    };
    const { requestId, ip, ...signedIn } = expected;
    expect(actorOfRequest(signedIn, requestId, ip)).toEqual(expected);
  });

  it('keeps the signed-in actor as it was, which the sign-in cache shares between requests', () => {
    const signedIn: Actor = { tenantId: 't', userId: null, name: null, type: 'api_key', role: 'member' };
    const first = actorOfRequest(signedIn, 'req-1', '127.0.0.1');
    actorOfRequest(signedIn, 'req-2', '127.0.0.2');
    expect(signedIn).toEqual({ tenantId: 't', userId: null, name: null, type: 'api_key', role: 'member' });
    expect(first).toMatchObject({ requestId: 'req-1', ip: '127.0.0.1' });
  });
});
