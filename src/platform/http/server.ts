// The HTTP server every shape shares: security headers, rate limit, load shedding, request
// ids, one error handler, authentication, OpenAPI, health and metrics. Modules add routes
// to it in app.ts; no domain service hangs on the Fastify instance.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyCookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyUnderPressure from '@fastify/under-pressure';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Metrics } from '../metrics.js';
import { createAuthenticationHook, readCredentials, sessionCookie, type Authenticator } from './authentication.js';
import { handleError, toErrorBody } from './error-handler.js';
import { validatorCompiler } from './validation.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  authenticator: Authenticator;
  version: string;
}

/** How often load shedding samples the event loop's delay. */
export const loadSheddingSampleIntervalMs = 500;

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export async function createHttpServer({ config, logger, metrics, authenticator, version }: HttpDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request is noise at info level; metrics count requests. Debug shows them.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    trustProxy: config.trustProxy,
    // Requests Node cannot even parse (bad bytes in the request line) get the same error format.
    clientErrorHandler: (error, socket) => {
      const body = JSON.stringify(toErrorBody('request.malformed', 'The request could not be parsed'));
      if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      else socket.destroy(error);
    },
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  app.decorateRequest('actor', null as never);
  app.decorateRequest('authentication', undefined);

  // Helmet's headers are the same for every response: compute them once with helmet itself and
  // set them in a hook. @fastify/helmet rebuilt the content security policy on every request,
  // which cost a tenth of the CPU of a small API call. The hooks of every request take a
  // callback, not a promise: an async hook costs a promise and a turn of the microtask queue.
  // An API answer is not a document: it gets the few headers that apply to it (apiSecurityHeaders).
  const documentHeaders = securityHeaders();
  const apiHeaders = apiSecurityHeaders(documentHeaders);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isApiPath(request.url) ? apiHeaders : documentHeaders);
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  await app.register(fastifyCookie);
  if (config.rateLimitPerMinute > 0) {
    await app.register(fastifyRateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: '1 minute',
      // One bucket per API key or session, so users behind one address do not share a budget.
      keyGenerator: (request) => {
        const { apiKey, sessionToken } = readCredentials(request);
        return apiKey ? `key:${apiKey.slice(0, 16)}` : sessionToken ? `session:${sessionToken.slice(0, 16)}` : `ip:${request.ip}`;
      },
      allowList: (request) => request.url.startsWith('/health/') || request.url === '/metrics',
      errorResponseBuilder: (_request, context) => ({
        statusCode: context.statusCode,
        code: 'request.rate_limited',
        message: `Rate limit of ${context.max} requests per ${context.after} reached`,
      }),
    });
  }
  if (config.maxEventLoopDelayMs > 0) {
    await app.register(fastifyUnderPressure, { maxEventLoopDelay: config.maxEventLoopDelayMs, sampleInterval: loadSheddingSampleIntervalMs, retryAfter: 5 });
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Rapport API', version, description: 'The REST API of Rapport, the open-source CRM.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from POST /api/v1/api-keys' },
          session: { type: 'apiKey', in: 'cookie', name: sessionCookie },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () => app.swagger());

  app.addHook('preParsing', createAuthenticationHook(authenticator) as never);
  return app;
}

/**
 * Answers with JSON text that is ready (platform/json-text.ts), as a string or its UTF-8 bytes:
 * Fastify sends either with a JSON content type as it is, past the route's serializer.
 */
export function sendJsonText(reply: FastifyReply, text: string | Buffer) {
  return reply.type('application/json; charset=utf-8').send(text);
}

/** Paths that answer with JSON or text for programs, never with a page a browser renders. */
function isApiPath(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/health/') || url.startsWith('/metrics');
}

/**
 * The security headers of an API answer, as OWASP's REST Security Cheat Sheet gives them: no
 * content may load or frame it, it is not sniffed into another type, HTTPS only, and other
 * origins' pages may not embed it; the last three as helmet writes them for documents. helmet's
 * other headers (DNS prefetch, download options, referrer policy, origin agent cluster, the XSS
 * auditor switch, a CSP of allowed sources) govern a document and its subresources. On JSON
 * these five headers take 232 bytes where helmet's took 675: the difference is about a
 * contact's own JSON, in every answer, written by the server and parsed by every client.
 */
function apiSecurityHeaders(documentHeaders: Readonly<Record<string, string>>): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    ...Object.fromEntries(['cross-origin-resource-policy', 'strict-transport-security', 'x-content-type-options']
      .map((name) => [name, documentHeaders[name]])),
  };
}

/** The headers helmet sets for documents (the web app, the API reference), captured from one run of its middleware. */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => { headers[name.toLowerCase()] = value; },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()]; },
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine and the API reference inject their styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/** Serves the built web app at `/`, falling back to index.html for the app's own routes. */
export async function serveWebApp(app: App, webDistDir: string) {
  const indexPath = path.join(webDistDir, 'index.html');
  const hasBuild = fs.existsSync(indexPath);
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: webDistDir,
      wildcard: false,
      index: false,
      setHeaders: (response, filePath) => {
        if (filePath.includes(`${path.sep}assets${path.sep}`)) response.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0];
    // Client routes have no file extension; a missing asset (say, from an older build) is a 404.
    const isPage = request.method === 'GET' && !/^\/(api|health|metrics|docs|assets)(\/|$)/.test(pathname) && !/\.[a-z0-9]+$/i.test(pathname);
    if (!isPage) return reply.code(404).send(toErrorBody('route.not_found', `No route ${request.method} ${pathname}`));
    if (!hasBuild) {
      return reply.type('text/html').send('<!doctype html><title>Rapport</title><p>The web app is not built. Run <code>npm run build:web</code>, then restart.</p>');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
