import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './serverProcess';

// Importing a small CSV in the browser: the suggested mapping, the final accounting with one
// rejected row, and the rejected rows downloaded as CSV.

let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
let baseUrl: string;
const fileDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-import-'));

beforeAll(async () => {
  server = await startServer();
  baseUrl = server.baseUrl;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(fileDirectory, { recursive: true, force: true });
});

describe('importing in the browser', () => {
  it('imports a CSV with one bad row, shows the accounting and downloads the rejected row', async () => {
    const unique = Date.now().toString(36);
    await page.goto(`${baseUrl}/contacts`);
    await page.waitForURL(/\/sign-in$/);
    await page.getByRole('link', { name: 'Create a workspace' }).click();
    await page.getByLabel('Workspace name').fill(`Import ${unique}`);
    await page.getByLabel('Your name').fill('Import Tester');
    await page.getByLabel('Email').fill(`import-${unique}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(/\/contacts$/);

    const file = path.join(fileDirectory, 'contacts.csv');
    fs.writeFileSync(file, 'Full Name,E-mail,Phone\nAda Lovelace,ada@example.com,+44 20 7946 0958\nGrace Hopper,grace@example.com,\nBroken Phone,broken@example.com,call me\n');
    await page.getByRole('navigation').getByRole('link', { name: 'Import' }).click();
    // Mantine's FileInput is a button over a hidden file input.
    await page.locator('input[type=file]').setInputFiles(file);
    await expect(page.getByRole('textbox', { name: 'Field for column E-mail' }).inputValue()).resolves.toBe('Email');
    await page.getByRole('button', { name: 'Start import' }).click();

    await page.getByTestId('import-status').filter({ hasText: 'Finished' }).waitFor();
    await expect(page.getByTestId('import-accounting').textContent()).resolves.toBe('Created 2 · updated 0 · skipped as duplicates 0 · rejected 1');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the rejected rows (CSV)' }).click()]);
    const errors = fs.readFileSync((await download.path())!, 'utf8');
    expect(errors).toContain('row,code,field,message,Full Name,E-mail,Phone');
    expect(errors).toMatch(/4,contact\.phone_invalid,phone,.*,Broken Phone,broken@example\.com,call me/);

    await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).click();
    await page.locator('tbody tr').filter({ hasText: 'Grace Hopper' }).waitFor();
  }, 120_000);
});
