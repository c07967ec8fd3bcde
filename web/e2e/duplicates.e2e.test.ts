import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startServer, type RunningServer } from './serverProcess';

// A real browser against the real server: a second contact with the same phone gets a
// duplicate warning, the user merges the two side by side, undoes the merge from the record's
// page, and finds the contact again through the header's search box despite a typo.

let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
let baseUrl: string;

beforeAll(async () => {
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

async function step(name: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const file = `/tmp/rapport-duplicates-e2e-failure-${name.replace(/\W+/g, '-')}-${Date.now()}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw new Error(`step "${name}" failed (screenshot: ${file}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function createContact(name: string, phone: string) {
  await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'New contact' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Phone').fill(phone);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

describe('duplicates in the browser', () => {
  it('warns about a duplicate, merges it, undoes the merge and finds the contact by a typo', async () => {
    const unique = Date.now().toString(36);

    await step('sign up', async () => {
      await page.goto(`${baseUrl}/sign-up`);
      await page.getByLabel('Workspace name').fill(`Dedup ${unique}`);
      await page.getByLabel('Your name').fill('Dedup Tester');
      await page.getByLabel('Email').fill(`dedup-${unique}@example.com`);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await page.waitForURL(/\/contacts$/);
    });

    await step('a second contact with the same phone shows a warning', async () => {
      await createContact('Grace Hopper', '+1 202 555 0143');
      await createContact('G. Hopper', '+1 (202) 555-0143');
      const warning = page.getByTestId('duplicate-warning');
      await warning.getByText('Possible duplicates').waitFor();
      await warning.getByRole('link', { name: 'Grace Hopper' }).waitFor();
      await warning.getByText('same phone').waitFor();
    });

    await step('merge them side by side, keeping the first name', async () => {
      await page.getByTestId('duplicate-warning').getByRole('link', { name: 'Review and merge' }).click();
      const table = page.getByTestId('merge-table');
      await table.getByRole('radio', { name: 'Grace Hopper' }).last().check();
      await page.getByRole('button', { name: 'Merge', exact: true }).click();
      await page.getByRole('heading', { level: 2, name: 'Grace Hopper' }).waitFor();
      await page.getByTestId('merge-history').getByRole('button', { name: 'Undo merge' }).waitFor();
    });

    await step('undo the merge from the record page', async () => {
      await page.getByTestId('merge-history').getByRole('button', { name: 'Undo merge' }).click();
      await page.getByTestId('merge-history').getByText(/undone/).waitFor();
      await page.getByRole('heading', { level: 2, name: 'G. Hopper' }).waitFor();
    });

    await step('find the contact through the header search despite a typo', async () => {
      await page.getByTestId('global-search').fill('Hoppr');
      await page.getByRole('option', { name: /Grace Hopper/ }).click();
      await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { level: 2, name: 'Grace Hopper' }).waitFor();
    });
  });
});
