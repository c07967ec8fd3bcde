import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './serverProcess';

// A real browser against the real server: the workspace owner adds a read-only colleague,
// puts them in a team, finds the creation in the audit log and exports it as CSV.

const screenshotDirectory = '/tmp';
let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
let baseUrl: string;

beforeAll(async () => {
  // RAPPORT_E2E_BASE_URL points the test at a server that is already running (handy while
  // developing); by default the test starts its own with an empty data directory.
  if (process.env.RAPPORT_E2E_BASE_URL) {
    baseUrl = process.env.RAPPORT_E2E_BASE_URL;
  } else {
    server = await startServer();
    baseUrl = server.baseUrl;
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Runs one step; on failure keeps a screenshot named after the step. */
async function step(name: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const file = `${screenshotDirectory}/rapport-admin-e2e-failure-${name.replace(/\W+/g, '-')}-${Date.now()}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw new Error(`step "${name}" failed (screenshot: ${file}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function openSettings(linkName: string, heading: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: linkName, exact: true }).click();
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
}

describe('administration', () => {
  it('adds a read-only user, puts them in a team, and finds it in the audit log and its CSV export', async () => {
    const unique = Date.now().toString(36);
    const colleagueName = `Reader ${unique}`;
    const colleagueEmail = `reader-${unique}@example.com`;
    const teamName = `Auditors ${unique}`;
    let colleagueId = '';

    await step('sign up', async () => {
      await page.goto(`${baseUrl}/sign-up`);
      await page.getByLabel('Workspace name').fill(`Admin ${unique}`);
      await page.getByLabel('Your name').fill('Admin Tester');
      await page.getByLabel('Email').fill(`admin-${unique}@example.com`);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await page.waitForURL(/\/contacts$/);
    });

    await step('add a read-only user', async () => {
      await openSettings('Users', 'Users');
      await page.getByRole('button', { name: 'Add user' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill(colleagueName);
      await dialog.getByLabel('Email').fill(colleagueEmail);
      await dialog.getByLabel('Initial password').fill('a long initial password');
      await dialog.getByRole('textbox', { name: 'Role' }).click();
      await page.getByRole('option', { name: 'Read only', exact: true }).click();
      const created = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/api/v1/users'));
      await dialog.getByRole('button', { name: 'Add user' }).click();
      const response = await created;
      expect(response.status()).toBe(201);
      colleagueId = ((await response.json()) as { id: string }).id;
      await dialog.waitFor({ state: 'detached' });
      const row = page.getByTestId('user-row').filter({ hasText: colleagueEmail });
      await expect.poll(() => row.getByRole('textbox', { name: `Role of ${colleagueName}` }).inputValue()).toBe('Read only');
    });

    await step('create a team with that user as a member', async () => {
      await openSettings('Teams', 'Teams');
      await page.getByRole('button', { name: 'Create team' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill(teamName);
      await dialog.getByRole('textbox', { name: 'Members' }).click();
      await page.getByRole('option', { name: colleagueName }).click();
      await dialog.getByLabel('Name').click(); // closes the members dropdown
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('team-row').filter({ hasText: teamName }).filter({ hasText: colleagueName }).waitFor();
    });

    await step('filter the audit log by users and see the creation', async () => {
      await openSettings('Audit log', 'Audit log');
      await page.getByRole('textbox', { name: 'Record' }).click();
      await page.getByRole('option', { name: 'User', exact: true }).click();
      await page.waitForURL(/[?&]entity=user/);
      const creation = page.getByTestId('audit-row').filter({ hasText: colleagueId });
      await creation.waitFor();
      expect(await creation.getAttribute('data-operation')).toBe('create');
      expect(await creation.textContent()).toContain('Admin Tester');
      // Every row left is about a user; the team created meanwhile is filtered out. The list
      // keeps showing the unfiltered rows until the filtered page arrives, so wait for it.
      const entities = () => page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-entity')));
      await expect.poll(async () => new Set(await entities()), { timeout: 20_000 }).toEqual(new Set(['user']));
      await creation.getByRole('button', { name: 'Show' }).click();
      await page.getByTestId('audit-changes').filter({ hasText: colleagueEmail }).waitFor();
    });

    await step('export the filtered log as CSV', async () => {
      const href = await page.getByTestId('audit-export').getAttribute('href');
      expect(href).toContain('entity=user');
      const result = await page.evaluate(async (url) => {
        const response = await fetch(url, { credentials: 'same-origin' });
        return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
      }, href ?? '');
      expect(result.status).toBe(200);
      expect(result.contentType).toContain('text/csv');
      expect(result.text).toContain(colleagueId);
      expect(result.text).not.toContain(teamName);
    });
  });
});
