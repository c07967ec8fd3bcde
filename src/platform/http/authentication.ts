// Puts the acting user on every API request. The identity module implements Authenticator;
// the platform only knows where credentials travel: the session cookie or a bearer API key.
// A cookie-authenticated change must also carry the session's CSRF token in `x-csrf-token`.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOfRequest, type Actor } from '../actor.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';

export const sessionCookie = 'rapport_session';

export interface Authentication {
  actor: Actor;
  via: 'session' | 'api_key';
  csrfToken?: string;
  /** The workspace requires two-factor sign-in and this user has not set it up yet. */
  totpSetupRequired?: boolean;
}

export interface Authenticator {
  authenticate(credentials: { sessionToken?: string; apiKey?: string }): Promise<Authentication | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    authentication: Authentication | undefined;
  }
  interface FastifyContextConfig {
    /** `public` routes need no sign-in (signup, login, health). */
    auth?: 'public';
    /** Routes a session may use before its user has set up a required second factor. */
    allowDuringTotpSetup?: boolean;
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCredentials(request: FastifyRequest) {
  const header = request.headers.authorization;
  const apiKey = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  return { apiKey, sessionToken: apiKey ? undefined : request.cookies?.[sessionCookie] };
}

/**
 * A preParsing hook: it runs after every onRequest hook (rate limiting among them, so a flood
 * of bad credentials is throttled too) and before the body is read. Unknown routes fall
 * through to their 404.
 */
export function createAuthenticationHook(authenticator: Authenticator) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply, payload: unknown) {
    if (request.routeOptions.config?.auth === 'public' || !request.routeOptions.url?.startsWith('/api/v1/')) return payload;
    const credentials = readCredentials(request);
    if (!credentials.apiKey && !credentials.sessionToken) throw new UnauthenticatedError();
    const authentication = await authenticator.authenticate(credentials);
    if (!authentication) throw new UnauthenticatedError('Your session has ended or the API key is not valid');
    if (authentication.via === 'session' && unsafeMethods.has(request.method)) {
      if (request.headers['x-csrf-token'] !== authentication.csrfToken) {
        throw new ForbiddenError('auth.csrf_invalid', 'Missing or wrong x-csrf-token header');
      }
    }
    if (authentication.totpSetupRequired && !request.routeOptions.config?.allowDuringTotpSetup) {
      throw new ForbiddenError('auth.totp_setup_required', 'This workspace requires two-factor sign-in: set it up first');
    }
    request.authentication = authentication;
    request.actor = actorOfRequest(authentication.actor, request.id, request.ip);
    return payload;
  };
}
