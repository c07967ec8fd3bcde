// The session cookie and the body that go with a new session, for every route that signs in.
import type { FastifyReply } from 'fastify';
import { sessionCookie } from '../../platform/http/authentication.js';
import type { SignedIn } from './identity.service.js';
import { ThrottledError } from './identity.throttle.js';

export function sendSignedIn(reply: FastifyReply, signedIn: SignedIn, { status, cookieSecure }: { status: number; cookieSecure: boolean }) {
  reply.setCookie(sessionCookie, signedIn.sessionToken, {
    httpOnly: true, sameSite: 'lax', secure: cookieSecure, path: '/', expires: signedIn.expiresAt,
  });
  const { user, tenant, csrfToken, totpSetupRequired } = signedIn;
  return reply.code(status).send({ user, tenant, csrfToken, ...(totpSetupRequired ? { totpSetupRequired } : {}) });
}

/** Runs sign-in work and, when it is throttled, tells the client when to come back. */
export async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ThrottledError) reply.header('retry-after', String(error.retryAfterSeconds));
    throw error;
  }
}
