import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './serverProcess';

// A real browser: an administrator defines a custom field, fills it on a contact, shows it as
// a column of a saved view, and builds a segment on it that finds the contact.

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
    const file = `/tmp/rapport-e2e-failure-${name.replace(/\W+/g, '-')}-${Date.now()}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw new Error(`step "${name}" failed (screenshot: ${file}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

describe('custom fields in the browser', () => {
  it('defines a field, fills it on a contact, shows it in a saved view and finds the contact by segment', async () => {
    const unique = Date.now().toString(36);
    const navigation = () => page.getByRole('navigation');

    await step('sign up', async () => {
      await page.goto(`${baseUrl}/sign-up`);
      await page.getByLabel('Workspace name').fill(`Custom ${unique}`);
      await page.getByLabel('Your name').fill('Custom Tester');
      await page.getByLabel('Email').fill(`custom-${unique}@example.com`);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await page.waitForURL(/\/contacts$/);
    });

    await step('define a select field', async () => {
      await navigation().getByRole('link', { name: 'Custom fields' }).click();
      await page.getByRole('button', { name: 'Add field' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Label').fill('Loyalty tier');
      await dialog.getByRole('textbox', { name: 'Type' }).click();
      await page.getByRole('option', { name: 'Single select' }).click();
      const options = dialog.getByRole('textbox', { name: 'Options' });
      for (const option of ['Gold', 'Silver']) {
        await options.fill(option);
        await options.press('Enter');
      }
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: 'loyalty_tier' }).waitFor();
    });

    await step('fill it on a new contact, beside one without it', async () => {
      await navigation().getByRole('link', { name: 'Contacts' }).click();
      await page.getByRole('button', { name: 'New contact' }).click();
      await page.getByRole('dialog').getByLabel('Name').fill('Plain Jane');
      await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { level: 2, name: 'Plain Jane' }).waitFor();
      await navigation().getByRole('link', { name: 'Contacts' }).click();
      await page.getByRole('button', { name: 'New contact' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('Goldie Hawn');
      await dialog.getByRole('textbox', { name: 'Loyalty tier' }).click();
      await page.getByRole('option', { name: 'Gold' }).click();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { level: 2, name: 'Goldie Hawn' }).waitFor();
      await page.getByText('Gold', { exact: true }).waitFor();
    });

    await step('show the field as a column of a saved view', async () => {
      await navigation().getByRole('link', { name: 'Contacts' }).click();
      await page.getByRole('button', { name: 'Save view' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('With tiers');
      await dialog.getByText('Columns', { exact: true }).click();
      await page.getByRole('option', { name: 'Loyalty tier' }).click();
      await dialog.getByRole('heading').click();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('columnheader', { name: /Loyalty tier/ }).waitFor();
      await page.locator('tbody tr').filter({ hasText: 'Goldie Hawn' }).getByRole('cell', { name: 'Gold', exact: true }).waitFor();
    });

    await step('build a segment on the field and open its contacts', async () => {
      await navigation().getByRole('link', { name: 'Segments' }).click();
      await page.getByLabel('Segment name').fill('Gold members');
      await page.getByRole('button', { name: 'Add group' }).click();
      await page.getByRole('textbox', { name: 'Field' }).click();
      await page.getByRole('option', { name: 'Loyalty tier' }).click();
      await page.getByRole('textbox', { name: 'Value' }).click();
      await page.getByRole('option', { name: 'Gold' }).click();
      await expect.poll(() => page.getByTestId('segment-count').textContent()).toBe('1 matching record');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('button', { name: 'Open records' }).click();
      await page.waitForURL(/\/contacts\?segment=/);
      await page.getByText('Segment: Gold members').waitFor();
      await page.locator('tbody tr').filter({ hasText: 'Goldie Hawn' }).waitFor();
      expect(await page.locator('tbody tr').count()).toBe(1);
    });
  });
});
