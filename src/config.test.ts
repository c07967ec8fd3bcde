import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs embedded with data under ./data when nothing is set', () => {
    const config = loadConfig({}, '/srv/rapport');
    expect(config).toMatchObject({ port: 3000, dataDir: '/srv/rapport/data', databaseUrl: undefined, signupEnabled: true, role: 'all', cookieSecure: false });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/rapport'],
    ['DATABASE_URL', 'not a url'],
    ['RAPPORT_SIGNUP_ENABLED', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['RAPPORT_ROLE', 'boss'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_IDLE_SECONDS', '-1'],
  ])('names the bad setting %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`Invalid setting ${name}`));
  });

  it('reads a PostgreSQL server, a public https URL and secure cookies', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://rapport@db:5432/rapport', RAPPORT_PUBLIC_URL: 'https://crm.example.com', PORT: '8080' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://rapport@db:5432/rapport', cookieSecure: true, port: 8080 });
  });

  it('keeps unused database connections for five minutes unless told otherwise', () => {
    expect(loadConfig({}).databasePoolIdleSeconds).toBe(300);
    expect(loadConfig({ DATABASE_POOL_IDLE_SECONDS: '0' }).databasePoolIdleSeconds).toBe(0);
    expect(loadConfig({ DATABASE_POOL_IDLE_SECONDS: '30' }).databasePoolIdleSeconds).toBe(30);
  });
});
