// Single sign-on over HTTP: the admin settings API (JSON) and the browser-facing sign-in
// routes, which answer with redirects — to the provider, to `/` once signed in, or to
// `/sign-in?error=<code>` when the sign-in cannot go on.
import fastifyFormbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { sessionCookie } from '../../platform/http/authentication.js';
import { commonErrors, ErrorResponse } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/server.js';
import type { SignedIn } from './identity.service.js';
import { SsoError } from './identity.sso.accounts.js';
import {
  OidcCallbackQuery, OidcSettings, PutOidcSettings, PutSamlSettings, SamlAcsBody, SamlSettings, WorkspaceSlugParams,
} from './identity.sso.schemas.js';
import type { SingleSignOnService } from './identity.sso.service.js';

/** Holds the OIDC state between start and callback; sent only to the callback. */
export const oidcStateCookie = 'rapport_sso_state';
const callbackPath = '/api/v1/auth/sso/oidc/callback';

const clientOf = (request: FastifyRequest) => ({ ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null });
const redirectTo = (description: string) => Type.Null({ description });

/** Browsers cannot read a JSON error after a redirect chain: send them to the sign-in page with the code. */
function redirectToSignIn(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const isValidation = Boolean((error as FastifyError).validation);
  const code = error instanceof AppError ? error.code : isValidation ? 'sso.invalid_request' : 'sso.failed';
  if (error instanceof SsoError && error.reason !== undefined) request.log.warn({ err: error.reason, code }, 'single sign-on refused');
  else if (!(error instanceof AppError) && !isValidation) request.log.error({ err: error }, 'single sign-on failed');
  reply.clearCookie(oidcStateCookie, { path: callbackPath });
  return reply.redirect(`/sign-in?error=${encodeURIComponent(code)}`, 303);
}

export function ssoRoutes(app: App, { sso, cookieSecure }: { sso: SingleSignOnService; cookieSecure: boolean }) {
  const tags = ['single sign-on'];
  const baseUrlOf = (request: FastifyRequest) => sso.baseUrlFor(`${request.protocol}://${request.host}`);

  // The same session cookie as a password sign-in (see identity.routes.ts).
  function redirectSignedIn(reply: FastifyReply, signedIn: SignedIn) {
    reply.setCookie(sessionCookie, signedIn.sessionToken, {
      httpOnly: true, sameSite: 'lax', secure: cookieSecure, path: '/', expires: signedIn.expiresAt,
    });
    reply.clearCookie(oidcStateCookie, { path: callbackPath });
    return reply.redirect('/', 303);
  }

  // A child scope, so the form parser the SAML ACS needs applies to these routes only.
  app.register(async (scope: App) => {
    await scope.register(fastifyFormbody, { bodyLimit: 1_048_576 });

    scope.get('/workspace/sso/oidc', {
      schema: { tags, summary: 'The workspace’s OpenID Connect settings (administrators)', response: { 200: OidcSettings, ...commonErrors } },
    }, (request) => sso.oidc.getSettings(request.actor, baseUrlOf(request)));

    scope.put('/workspace/sso/oidc', {
      schema: { tags, summary: 'Set up OpenID Connect sign-in (administrators)', body: PutOidcSettings, response: { 200: OidcSettings, ...commonErrors } },
    }, (request) => sso.oidc.saveSettings(request.actor, request.body, baseUrlOf(request)));

    scope.get('/workspace/sso/saml', {
      schema: { tags, summary: 'The workspace’s SAML settings (administrators)', response: { 200: SamlSettings, ...commonErrors } },
    }, (request) => sso.saml.getSettings(request.actor, baseUrlOf(request)));

    scope.put('/workspace/sso/saml', {
      schema: { tags, summary: 'Set up SAML sign-in (administrators)', body: PutSamlSettings, response: { 200: SamlSettings, ...commonErrors } },
    }, (request) => sso.saml.saveSettings(request.actor, request.body, baseUrlOf(request)));

    scope.get('/auth/sso/:workspaceSlug/oidc/start', {
      config: { auth: 'public' },
      errorHandler: redirectToSignIn,
      schema: { tags, summary: 'Start an OpenID Connect sign-in: redirects to the provider', params: WorkspaceSlugParams, response: { 302: redirectTo('To the OpenID provider'), 303: redirectTo('To /sign-in?error=<code>') }, security: [] },
    }, async (request, reply) => {
      const started = await sso.oidc.start(request.params.workspaceSlug, baseUrlOf(request));
      reply.setCookie(oidcStateCookie, started.state, { httpOnly: true, sameSite: 'lax', secure: cookieSecure, path: callbackPath, maxAge: 600 });
      return reply.redirect(started.redirectUrl, 302);
    });

    scope.get('/auth/sso/oidc/callback', {
      config: { auth: 'public' },
      errorHandler: redirectToSignIn,
      schema: { tags, summary: 'Where the OpenID provider sends the browser back; signs in and redirects to /', querystring: OidcCallbackQuery, response: { 303: redirectTo('To / when signed in, else to /sign-in?error=<code>') }, security: [] },
    }, async (request, reply) => {
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const signedIn = await sso.oidc.finish(request.query, search, request.cookies[oidcStateCookie], clientOf(request));
      return redirectSignedIn(reply, signedIn);
    });

    scope.get('/auth/sso/:workspaceSlug/saml/start', {
      config: { auth: 'public' },
      errorHandler: redirectToSignIn,
      schema: { tags, summary: 'Start a SAML sign-in: redirects to the identity provider', params: WorkspaceSlugParams, response: { 302: redirectTo('To the identity provider'), 303: redirectTo('To /sign-in?error=<code>') }, security: [] },
    }, async (request, reply) => reply.redirect(await sso.saml.start(request.params.workspaceSlug, baseUrlOf(request)), 302));

    scope.post('/auth/sso/:workspaceSlug/saml/acs', {
      config: { auth: 'public' },
      errorHandler: redirectToSignIn,
      schema: {
        tags, summary: 'Assertion consumer service: the IdP posts its SAMLResponse here (form)', params: WorkspaceSlugParams, body: SamlAcsBody,
        consumes: ['application/x-www-form-urlencoded'], response: { 303: redirectTo('To / when signed in, else to /sign-in?error=<code>') }, security: [],
      },
    }, async (request, reply) => {
      const signedIn = await sso.saml.consumeAssertion(request.params.workspaceSlug, request.body, baseUrlOf(request), clientOf(request));
      return redirectSignedIn(reply, signedIn);
    });

    scope.get('/auth/sso/:workspaceSlug/saml/metadata', {
      config: { auth: 'public' },
      schema: { tags, summary: 'Service provider metadata (XML) to give the identity provider', params: WorkspaceSlugParams, response: { 200: Type.String(), 404: ErrorResponse }, security: [] },
    }, async (request, reply) => {
      const xml = await sso.saml.metadata(request.params.workspaceSlug, baseUrlOf(request));
      return reply.type('application/samlmetadata+xml; charset=utf-8').send(xml);
    });
  });
}
