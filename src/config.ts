// The only reader of process.env. Every setting Rapport understands is declared here once,
// with its default and its description (the README's settings table is this list), and a
// bad value stops the process at start with a message that names the setting.
import path from 'node:path';

export type ProcessRole = 'all' | 'api' | 'worker';

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Seconds an unused pooled connection stays open; 0: until the process ends. */
  databasePoolIdleSeconds: number;
  logLevel: string;
  signupEnabled: boolean;
  demoSeed: boolean;
  sessionTtlHours: number;
  cookieSecure: boolean;
  rateLimitPerMinute: number;
  maxEventLoopDelayMs: number;
  trustProxy: boolean;
  webDistDir: string;
  role: ProcessRole;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** RAPPORT_MASTER_KEY, decoded: wraps every workspace's data key (src/platform/encryption). */
  masterKey: Buffer | undefined;
  masterKeyFile: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`Invalid setting ${setting}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

interface SettingDoc {
  name: string;
  default: string;
  description: string;
}

/** Documented settings, in the order the README lists them. */
export const settings: SettingDoc[] = [
  { name: 'PORT', default: '3000', description: 'HTTP port (0 picks a free one).' },
  { name: 'HOST', default: '127.0.0.1', description: 'Address to listen on; `0.0.0.0` in containers.' },
  { name: 'RAPPORT_DATA_DIR', default: './data', description: 'Where the embedded database (PGlite) keeps its files. Ignored when DATABASE_URL is set.' },
  { name: 'DATABASE_URL', default: '(unset: embedded PGlite)', description: 'A PostgreSQL 15+ server to use instead of the embedded database.' },
  { name: 'DATABASE_POOL_SIZE', default: '10', description: 'Connections per process to DATABASE_URL.' },
  { name: 'DATABASE_POOL_IDLE_SECONDS', default: '300', description: 'How long a pooled connection may sit unused before it is closed; 0 keeps them open.' },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino level: fatal, error, warn, info, debug, trace, silent.' },
  { name: 'RAPPORT_PUBLIC_URL', default: '(unset)', description: 'The URL users reach Rapport at, printed at start; https turns on secure cookies.' },
  { name: 'RAPPORT_SIGNUP_ENABLED', default: 'true', description: 'Whether `POST /api/v1/signup` may create new workspaces.' },
  { name: 'RAPPORT_DEMO_SEED', default: 'true', description: 'Create the demo workspace on first start when the database has no workspace.' },
  { name: 'RAPPORT_SESSION_TTL_HOURS', default: '336', description: 'How long a sign-in session lasts (14 days).' },
  { name: 'RAPPORT_COOKIE_SECURE', default: 'auto', description: '`true`, `false`, or `auto` (secure when RAPPORT_PUBLIC_URL is https).' },
  { name: 'RAPPORT_RATE_LIMIT_PER_MINUTE', default: '1200', description: 'Requests per minute per API key, session or address; 0 turns rate limiting off.' },
  { name: 'RAPPORT_MAX_EVENT_LOOP_DELAY_MS', default: '1000', description: 'Load shedding: above this event-loop delay requests get 503 with Retry-After.' },
  { name: 'RAPPORT_TRUST_PROXY', default: 'false', description: 'Take the client address from X-Forwarded-For: only behind a load balancer that sets it (rate limits and sign-in throttling key on the address).' },
  { name: 'RAPPORT_WEB_DIST', default: './web/dist', description: 'The built web app served at `/`.' },
  { name: 'SMTP_URL', default: '(unset: no email is sent)', description: 'The mail server for password-reset email, e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…`.' },
  { name: 'MAIL_FROM', default: 'Rapport <no-reply@localhost>', description: 'The sender of the email Rapport sends.' },
  { name: 'RAPPORT_MASTER_KEY', default: '(unset)', description: 'The master key (32 bytes in base64: `openssl rand -base64 32`) that wraps each workspace\'s field-encryption key. Required with DATABASE_URL unless RAPPORT_MASTER_KEY_FILE is set. See docs/security.md.' },
  { name: 'RAPPORT_MASTER_KEY_FILE', default: '(unset: embedded makes `<data dir>/master.key`)', description: 'A file holding the master key in base64, instead of RAPPORT_MASTER_KEY.' },
  { name: 'RAPPORT_ROLE', default: 'all', description: '`all` (API and workers), `api` or `worker`; `rapport start --role` overrides it.' },
];

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`);
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`);
}

function readUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'not a valid URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `expected a URL starting with ${protocols.join(' or ')}`);
  }
  return raw;
}

function readRole(env: Env): ProcessRole {
  const raw = env.RAPPORT_ROLE?.trim() || 'all';
  if (raw === 'all' || raw === 'api' || raw === 'worker') return raw;
  throw new ConfigError('RAPPORT_ROLE', `expected all, api or worker, got "${raw}"`);
}

function readMasterKey(env: Env, cwd: string): Pick<Config, 'masterKey' | 'masterKeyFile'> {
  const key = env.RAPPORT_MASTER_KEY?.trim();
  const file = env.RAPPORT_MASTER_KEY_FILE?.trim();
  if (key && file) throw new ConfigError('RAPPORT_MASTER_KEY', 'set either RAPPORT_MASTER_KEY or RAPPORT_MASTER_KEY_FILE, not both');
  if (!key) return { masterKey: undefined, masterKeyFile: file ? path.resolve(cwd, file) : undefined };
  const masterKey = /^[A-Za-z0-9+/]+={0,2}$/.test(key) ? Buffer.from(key, 'base64') : Buffer.alloc(0);
  if (masterKey.length !== 32) {
    throw new ConfigError('RAPPORT_MASTER_KEY', 'expected 32 random bytes in base64 (44 characters), e.g. the output of `openssl rand -base64 32`');
  }
  return { masterKey, masterKeyFile: undefined };
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const publicUrl = readUrl(env, 'RAPPORT_PUBLIC_URL', ['http:', 'https:']);
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!logLevels.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `expected one of ${logLevels.join(', ')}`);
  const cookieSetting = env.RAPPORT_COOKIE_SECURE?.trim().toLowerCase() || 'auto';
  const cookieSecure = cookieSetting === 'auto'
    ? publicUrl?.startsWith('https:') === true
    : readBoolean(env, 'RAPPORT_COOKIE_SECURE', false);
  return {
    port: readInteger(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    publicUrl,
    dataDir: path.resolve(cwd, env.RAPPORT_DATA_DIR?.trim() || './data'),
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    databasePoolIdleSeconds: readInteger(env, 'DATABASE_POOL_IDLE_SECONDS', 300, 0, 86_400),
    logLevel,
    signupEnabled: readBoolean(env, 'RAPPORT_SIGNUP_ENABLED', true),
    demoSeed: readBoolean(env, 'RAPPORT_DEMO_SEED', true),
    sessionTtlHours: readInteger(env, 'RAPPORT_SESSION_TTL_HOURS', 336, 1, 24 * 365),
    cookieSecure,
    rateLimitPerMinute: readInteger(env, 'RAPPORT_RATE_LIMIT_PER_MINUTE', 1200, 0, 10_000_000),
    maxEventLoopDelayMs: readInteger(env, 'RAPPORT_MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60_000),
    trustProxy: readBoolean(env, 'RAPPORT_TRUST_PROXY', false),
    webDistDir: path.resolve(cwd, env.RAPPORT_WEB_DIST?.trim() || './web/dist'),
    role: readRole(env),
    smtpUrl: readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM?.trim() || 'Rapport <no-reply@localhost>',
    ...readMasterKey(env, cwd),
  };
}
