import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/test-app.js';

interface CapturedMail {
  to: string[];
  text: string;
}

let test: TestApp;
let smtp: SMTPServer;
const inbox: CapturedMail[] = [];

beforeAll(async () => {
  // A real SMTP server on a free loopback port, capturing what Rapport sends.
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((recipient) => recipient.address), text: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  test = await startTestApp({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Rapport <rapport@example.com>' });
  await test.rapport.jobs.start({ work: true });
});
afterAll(async () => {
  await test.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const password = 'correct horse battery';

async function waitForMail(to: string): Promise<CapturedMail> {
  for (;;) {
    const mail = inbox.find((candidate) => candidate.to.includes(to));
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The body may be quoted-printable (soft line breaks, `=` as `=3D`); decode before reading the link.
const decodeQuotedPrintable = (text: string) => text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const tokenIn = (mail: CapturedMail) => /reset-password\?token=([A-Za-z0-9_-]+)/.exec(decodeQuotedPrintable(mail.text))![1];
const requestReset = (email: string) => test.request({ method: 'POST', url: '/api/v1/auth/password-reset', body: { email } });
const confirm = (token: string, newPassword: string) => test.request({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', body: { token, password: newPassword } });
const login = (email: string, guess: string) => test.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: guess } });

describe('password reset by email', () => {
  it('mails a single-use link that sets a new password and ends every session', async () => {
    const signup = await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Reset Co', name: 'Ada', email: 'forgetful@example.com', password } });
    const oldSession = `rapport_session=${signup.cookies.find((cookie) => cookie.name === 'rapport_session')!.value}`;

    const requested = await requestReset('Forgetful@Example.com');
    expect(requested.statusCode).toBe(202);
    const mail = await waitForMail('forgetful@example.com');
    expect(mail.text).toContain('From: Rapport <rapport@example.com>');
    expect(mail.text).toContain('Reset Co');
    expect(mail.text).toContain('http://localhost:80/reset-password?token=');
    const token = tokenIn(mail);
    const stored = await test.superuserQuery('select token_hash from password_reset_token where user_id = $1', [signup.body.user.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash.toString('utf8')).not.toContain(token);

    const weak = await confirm(token, 'password123');
    expect(weak.body.error).toMatchObject({ code: 'auth.password_weak', details: [{ field: 'password' }] });
    expect((await confirm(token, 'a fresh new passphrase')).statusCode).toBe(204);
    expect((await test.request({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: oldSession } })).statusCode).toBe(401);
    expect((await login('forgetful@example.com', password)).statusCode).toBe(401);
    expect((await login('forgetful@example.com', 'a fresh new passphrase')).statusCode).toBe(200);

    const again = await confirm(token, 'another new passphrase');
    expect(again.statusCode).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'auth.reset_token_invalid', details: [{ field: 'token' }] });
  });

  it('answers an unknown email exactly like a known one, and sends nothing', async () => {
    const unknown = await requestReset('nobody.here@example.com');
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toEqual({ accepted: true });
    // A known address sent after it arrives; by then the unknown one's job has run too.
    await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Known', name: 'Kim', email: 'known@example.com', password } });
    await requestReset('known@example.com');
    await waitForMail('known@example.com');
    expect(inbox.some((mail) => mail.to.includes('nobody.here@example.com'))).toBe(false);
  });

  it('refuses a made-up or expired token', async () => {
    expect((await confirm('made-up-token', 'a fresh new passphrase')).body.error.code).toBe('auth.reset_token_invalid');
    await test.request({ method: 'POST', url: '/api/v1/signup', body: { workspaceName: 'Late', name: 'Lu', email: 'late@example.com', password } });
    await requestReset('late@example.com');
    const token = tokenIn(await waitForMail('late@example.com'));
    await test.superuserQuery(`update password_reset_token set expires_at = now() - interval '1 minute'`);
    expect((await confirm(token, 'a fresh new passphrase')).body.error.code).toBe('auth.reset_token_invalid');
  });
});
