// Routes of sign-in security: password reset and change, TOTP two-factor sign-in, the
// workspace's two-factor rule, and listing and ending sessions.
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { readCredentials } from '../../platform/http/authentication.js';
import { commonErrors, ErrorResponse, IdParams } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import { resetLinkBase, type PasswordService } from './identity.password-reset.js';
import { SessionInfo } from './identity.schemas.js';
import {
  Accepted, PasswordChangeBody, PasswordResetConfirmBody, PasswordResetRequestBody, RecoveryCodes, TotpCodeBody, TotpLoginBody,
  TotpSetup, TotpStatus, UserSession, UserSessionParams, WorkspaceSecurity, WorkspaceSecurityBody,
} from './identity.security.schemas.js';
import type { SessionService } from './identity.sessions.js';
import { sendSignedIn } from './identity.session-cookie.js';
import { hashSecret } from './identity.tokens.js';
import type { TotpService } from './identity.totp.js';

const clientOf = (request: FastifyRequest) => ({ ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null });
const currentTokenHash = (request: FastifyRequest) => {
  const token = readCredentials(request).sessionToken;
  return token ? hashSecret(token) : undefined;
};
const Items = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item) });
const writeErrors = { ...commonErrors, 409: ErrorResponse };

export interface SignInSecurityDeps {
  passwords: PasswordService;
  totp: TotpService;
  sessions: SessionService;
  cookieSecure: boolean;
  publicUrl: string | undefined;
  port: number;
}

export function signInSecurityRoutes(app: App, { passwords, totp, sessions, cookieSecure, publicUrl, port }: SignInSecurityDeps) {
  const tags = ['sign-in security'];

  app.post('/auth/password-reset', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Email a password-reset link; always 202, whether or not the account exists', body: PasswordResetRequestBody, response: { 202: Accepted, 400: ErrorResponse }, security: [] },
  }, async (request, reply) => {
    const base = resetLinkBase(publicUrl, `${request.protocol}://${request.host}`, `http://localhost:${port}`);
    await passwords.requestReset(request.body.email, base);
    return reply.code(202).send({ accepted: true });
  });

  app.post('/auth/password-reset/confirm', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Set a new password with the emailed token; ends every session of the user', body: PasswordResetConfirmBody, response: { 204: Type.Null(), 400: ErrorResponse }, security: [] },
  }, async (request, reply) => {
    await passwords.confirmReset(request.body, request.ip ?? null);
    return reply.code(204).send(null);
  });

  app.post('/auth/password', {
    schema: { tags, summary: 'Change your password; your other sessions end', body: PasswordChangeBody, response: { 204: Type.Null(), ...commonErrors } },
  }, async (request, reply) => {
    await passwords.changePassword(request.actor, request.body, currentTokenHash(request));
    return reply.code(204).send(null);
  });

  app.post('/auth/login/totp', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Second step of sign-in: the mfaToken from /auth/login and a TOTP or recovery code', body: TotpLoginBody, response: { 200: SessionInfo, 400: ErrorResponse, 401: ErrorResponse }, security: [] },
  }, async (request, reply) => sendSignedIn(reply, await totp.completeSignIn(request.body, clientOf(request)), { status: 200, cookieSecure }));

  // Usable before a required second factor is set up: that is how it gets set up.
  const duringSetup = { allowDuringTotpSetup: true };

  app.get('/auth/totp', {
    config: duringSetup,
    schema: { tags, summary: 'Whether two-factor sign-in is on, and recovery codes left', response: { 200: TotpStatus, ...commonErrors } },
  }, (request) => totp.describe(request.actor));

  app.post('/auth/totp/setup', {
    config: duringSetup,
    schema: { tags, summary: 'Start setting up TOTP: a new secret, shown only here', response: { 200: TotpSetup, ...writeErrors } },
  }, (request) => totp.setup(request.actor));

  app.post('/auth/totp/enable', {
    config: duringSetup,
    schema: { tags, summary: 'Turn TOTP on with a first code; answers 10 single-use recovery codes, shown only here', body: TotpCodeBody, response: { 200: RecoveryCodes, ...writeErrors } },
  }, (request) => totp.enable(request.actor, request.body.code));

  app.post('/auth/totp/disable', {
    schema: { tags, summary: 'Turn TOTP off with a current code or a recovery code', body: TotpCodeBody, response: { 204: Type.Null(), ...writeErrors } },
  }, async (request, reply) => {
    await totp.disable(request.actor, request.body.code);
    return reply.code(204).send(null);
  });

  app.get('/workspace/security', {
    schema: { tags, summary: "The workspace's sign-in rules", response: { 200: WorkspaceSecurity, ...commonErrors } },
  }, (request) => totp.getWorkspaceSecurity(request.actor));

  app.patch('/workspace/security', {
    schema: { tags, summary: 'Require two-factor sign-in of every user (administrators)', body: WorkspaceSecurityBody, response: { 200: WorkspaceSecurity, ...writeErrors } },
  }, (request) => totp.updateWorkspaceSecurity(request.actor, request.body));

  app.get('/sessions', {
    schema: { tags, summary: 'Your active sessions', response: { 200: Items(UserSession), ...commonErrors } },
  }, async (request) => ({ items: await sessions.listOwn(request.actor, currentTokenHash(request)) }));

  app.delete('/sessions/:id', {
    schema: { tags, summary: 'End one of your sessions at once', params: IdParams, response: { 204: Type.Null(), ...commonErrors } },
  }, async (request, reply) => {
    await sessions.revokeOwn(request.actor, request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/users/:id/sessions', {
    schema: { tags, summary: "A user's active sessions (administrators)", params: IdParams, response: { 200: Items(UserSession), ...commonErrors } },
  }, async (request) => ({ items: await sessions.listForUser(request.actor, request.params.id, currentTokenHash(request)) }));

  app.delete('/users/:id/sessions/:sessionId', {
    schema: { tags, summary: "End a user's session at once (administrators)", params: UserSessionParams, response: { 204: Type.Null(), ...commonErrors } },
  }, async (request, reply) => {
    await sessions.revokeForUser(request.actor, request.params.id, request.params.sessionId);
    return reply.code(204).send(null);
  });
}
