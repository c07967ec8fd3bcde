import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCredentials, sessionCookie } from '../../platform/http/authentication.js';
import { commonErrors, ErrorResponse, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { ApiKey, CreateApiKeyBody, CreatedApiKey, LoginBody, SessionInfo, SignupBody } from './identity.schemas.js';
import { MfaChallenge } from './identity.security.schemas.js';
import type { IdentityService, SignedIn } from './identity.service.js';
import { withRetryAfter } from './identity.session-cookie.js';

const clientOf = (request: FastifyRequest) => ({ ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null });

export function identityRoutes(app: App, { identity, cookieSecure }: { identity: IdentityService; cookieSecure: boolean }) {
  const tags = ['identity'];

  function sendSignedIn(reply: FastifyReply, signedIn: SignedIn, status: number) {
    reply.setCookie(sessionCookie, signedIn.sessionToken, {
      httpOnly: true, sameSite: 'lax', secure: cookieSecure, path: '/', expires: signedIn.expiresAt,
    });
    return reply.code(status).send({ user: signedIn.user, tenant: signedIn.tenant, csrfToken: signedIn.csrfToken, ...(signedIn.totpSetupRequired ? { totpSetupRequired: true } : {}) });
  }

  app.post('/signup', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Create a workspace and its owner, and sign in', body: SignupBody, response: { 201: SessionInfo, 400: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse }, security: [] },
  }, async (request, reply) => sendSignedIn(reply, await identity.signup(request.body, clientOf(request)), 201));

  app.post('/auth/login', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Sign in with email and password; answers mfaRequired when a second factor is due', body: LoginBody, response: { 200: Type.Union([SessionInfo, MfaChallenge]), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse }, security: [] },
  }, async (request, reply) => {
    const outcome = await withRetryAfter(reply, () => identity.login(request.body, clientOf(request)));
    return 'mfaRequired' in outcome ? outcome : sendSignedIn(reply, outcome, 200);
  });

  app.post('/auth/logout', {
    config: { auth: 'public' },
    schema: { tags, summary: 'End the current session', response: { 204: Type.Null() }, security: [] },
  }, async (request, reply) => {
    await identity.logout(readCredentials(request).sessionToken);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/auth/me', {
    config: { allowDuringTotpSetup: true },
    schema: { tags, summary: 'The signed-in user, the workspace and the CSRF token', response: { 200: SessionInfo, 401: ErrorResponse } },
  }, (request) => identity.describeSession(request.actor, request.authentication));

  app.post('/api-keys', {
    schema: { tags, summary: 'Create an API key; the secret is shown only in this answer', body: CreateApiKeyBody, response: { 201: CreatedApiKey, ...commonErrors } },
  }, async (request, reply) => reply.code(201).send(await identity.createApiKey(request.actor, request.body)));

  app.get('/api-keys', {
    schema: { tags, summary: 'List active API keys', response: { 200: Type.Object({ items: Type.Array(ApiKey) }), ...commonErrors } },
  }, async (request) => ({ items: await identity.listApiKeys(request.actor) }));

  app.delete('/api-keys/:id', {
    schema: { tags, summary: 'Revoke an API key at once', params: IdParams, response: { 204: Type.Null(), ...commonErrors } },
  }, async (request, reply) => {
    await identity.revokeApiKey(request.actor, request.params.id);
    return reply.code(204).send(null);
  });
}
