import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './serverProcess';

// A real browser against the real server: sign up, add contacts, search, read the history,
// switch to Chinese, and see a server-side validation error land under its field.

const screenshotDirectory = '/tmp';
let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
let baseUrl: string;

beforeAll(async () => {
  // RAPPORT_E2E_BASE_URL points the journey at a server that is already running (handy while
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

/** Runs one step of the journey; on failure keeps a screenshot named after the step. */
async function step(name: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const file = `${screenshotDirectory}/rapport-e2e-failure-${name.replace(/\W+/g, '-')}-${Date.now()}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw new Error(`step "${name}" failed (screenshot: ${file}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function createContact(name: string, email: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'New contact' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByRole('button', { name: 'Save' }).click();
  // Saving opens the new contact's page.
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

describe('browser journey', () => {
  it('signs up, manages contacts, searches, reads history, switches language and shows field errors', async () => {
    const unique = Date.now().toString(36);

    await step('sign up', async () => {
      await page.goto(`${baseUrl}/contacts`);
      await page.waitForURL(/\/sign-in$/);
      await page.getByRole('link', { name: 'Create a workspace' }).click();
      await page.getByLabel('Workspace name').fill(`Journey ${unique}`);
      await page.getByLabel('Your name').fill('Journey Tester');
      await page.getByLabel('Email').fill(`journey-${unique}@example.com`);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await page.waitForURL(/\/contacts$/);
      await expect(page.getByTestId('workspace-name').textContent()).resolves.toBe(`Journey ${unique}`);
    });

    await step('create two contacts', async () => {
      await createContact('李雷', `li.lei.${unique}@example.com`);
      await createContact('Hanna Meyer', `hanna.${unique}@example.com`);
    });

    await step('search by part of the name', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).click();
      const rows = page.locator('tbody tr');
      await rows.filter({ hasText: 'Hanna Meyer' }).waitFor();
      await page.getByLabel('Search', { exact: true }).fill('李');
      await rows.filter({ hasText: 'Hanna Meyer' }).waitFor({ state: 'detached' });
      await rows.filter({ hasText: '李雷' }).waitFor();
      expect(await rows.count()).toBe(1);
    });

    await step('open the detail page and see the history', async () => {
      await page.getByRole('link', { name: '李雷' }).click();
      await page.getByRole('heading', { level: 2, name: '李雷' }).waitFor();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      const creation = page.getByTestId('history-entry').filter({ hasText: 'Created' });
      await creation.waitFor();
      expect(await creation.textContent()).toContain('by Journey Tester');
      await creation.getByTestId('history-change').filter({ hasText: `li.lei.${unique}@example.com` }).waitFor();
    });

    await step('show the server error under the phone field', async () => {
      await page.getByRole('button', { name: 'Edit' }).click();
      const dialog = page.getByRole('dialog');
      const phone = dialog.getByLabel('Phone');
      await phone.fill('12345');
      const responsePromise = page.waitForResponse((response) => response.request().method() === 'PATCH' && response.url().includes('/api/v1/contacts/'));
      await dialog.getByRole('button', { name: 'Save' }).click();
      const response = await responsePromise;
      expect(response.status()).toBe(400);
      const body = (await response.json()) as { error: { details: { field: string; message: string }[] } };
      const serverMessage = body.error.details.find((detail) => detail.field === 'phone')?.message;
      expect(serverMessage).toBeTruthy();
      await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
      // Mantine links the input to its error text; that text must be the server's own words.
      const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
      const errorTexts = await Promise.all(describedBy.split(/\s+/).filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
      expect(errorTexts).toContain(serverMessage);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    });

    await step('switch to Simplified Chinese', async () => {
      await page.getByLabel('Language').selectOption('zh-CN');
      await page.getByRole('heading', { name: '变更历史' }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: '联系人', exact: true }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await page.getByRole('button', { name: '编辑' }).click();
      await page.getByRole('dialog').getByLabel('电话').waitFor();
      await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
      // The choice survives a reload.
      await page.reload();
      await page.getByRole('heading', { name: '变更历史' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    });
  });
});
