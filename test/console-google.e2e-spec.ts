import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  callApi,
  type FakeGoogleDomain,
  type GeneratedServiceAccountKey,
  type RunningGoogleFake,
  type RunningPlatform,
  seedGmailMailbox,
  startGoogleFake,
} from '@mailkeep/testing';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  chooseOption,
  type ConsoleBrowser,
  fieldOf,
  nav as navTo,
  openConsoleBrowser,
  row as rowOf,
} from './support/console-browser.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Issue 20, deliverable 5: the google-workspace profile form and its test-connection dialog in the
 * web console, in Debian's Chromium driven by playwright-core, against the real platform and the
 * HTTPS Google fake. Set up as test/console.e2e-spec.ts is; each step waits for a state of the
 * page, never for a time. Screenshots go to a temporary directory, removed afterwards.
 */
const SCREENSHOTS = `${mkdtempSync(join(tmpdir(), 'mailkeep-console-google-'))}/`;
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

let started: E2ePlatform;
let platform: RunningPlatform;
let fake: RunningGoogleFake;
let workspace: FakeGoogleDomain;
let delegated: GeneratedServiceAccountKey;
let undelegated: GeneratedServiceAccountKey;
let consoleBrowser: ConsoleBrowser;
let page: Page;
let tenantId = '';
let adminKey = '';

const field = (label: string): Locator => fieldOf(page, label);
const choose = (label: string, option: string | RegExp, search?: string): Promise<void> =>
  chooseOption(page, label, option, search);
const nav = (label: string): Promise<void> => navTo(page, label);
const row = (tableName: string, text: string): Locator => rowOf(page, tableName, text);

async function createKeySecret(name: string, key: GeneratedServiceAccountKey): Promise<void> {
  await page.getByRole('button', { name: 'Create secret' }).click();
  await field('Name').fill(name);
  await choose('Type', 'Google service account');
  await field('Service account key (JSON)').fill(JSON.stringify(key.json, null, 2));
  await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
  // The list shows the key's client email (the only part of it that is not secret).
  await row('Secrets', name).getByText(key.clientEmail).waitFor();
}

beforeAll(async () => {
  fake = await startGoogleFake();
  workspace = fake.addDomain('northwind.example');
  seedGmailMailbox(workspace.addUser('alice').mailbox!);
  delegated = fake.addServiceAccount(workspace, { delegatedScopes: [READONLY] }).key;
  undelegated = fake.addServiceAccount(workspace, { accountName: 'not-delegated' }).key;
  [started, consoleBrowser] = await Promise.all([
    startE2ePlatform({
      database: 'console_google_e2e',
      // The profile's test-connection goes to the Google connector; nothing here needs the others.
      services: [...CORE_SERVICES, 'connector-google-workspace'],
      env: {
        MAILKEEP_GOOGLE_TOKEN_URL: fake.tokenUrl,
        MAILKEEP_GOOGLE_GMAIL_URL: fake.origin,
        MAILKEEP_GOOGLE_ADMIN_URL: fake.origin,
      },
      tenant: 'Northwind',
    }),
    openConsoleBrowser(),
  ]);
  ({ platform, tenant: tenantId, adminKey } = started);
  ({ page } = consoleBrowser);
}, 120_000);

afterAll(async () => {
  await consoleBrowser?.close();
  await started?.stop();
  await fake?.stop();
  rmSync(SCREENSHOTS, { recursive: true, force: true });
});

describe('the console with Google Workspace', () => {
  it('stores two service-account keys and a mailbox', async () => {
    await page.goto(`${platform.baseUrl}/t/${tenantId}/secrets`);
    await field('API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
    await createKeySecret('Northwind archiver', delegated);
    await createKeySecret('Key without delegation', undelegated);
    await nav('Mailboxes');
    await page.getByRole('button', { name: 'Create mailbox' }).click();
    await field('Primary address').fill('alice.archive@northwind.example');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await row('Mailboxes', 'alice.archive@northwind.example').waitFor();
  });

  it('shows the google-workspace properties, tests the connection step by step and creates the profile', async () => {
    await nav('Archiving profiles');
    await page.getByRole('link', { name: 'Create archiving profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create archiving profile' }).waitFor();
    await choose('Type', 'Google Workspace');
    const visible = async (label: string) => (await field(label).count()) > 0;
    for (const label of ['Source mailbox', 'Mailbox', 'Include folders', 'Exclude folders'])
      expect(await visible(label), label).toBe(true);
    for (const label of ['Server name', 'Port', 'Application ID', 'Directory ID'])
      expect(await visible(label), label).toBe(false);

    await field('Name').fill('Alice Gmail');
    // Only the service-account secret fits the type: the others are offered but disabled.
    await choose('Credentials', /^Northwind archiver/, 'Northwind');
    await choose('Mailbox', /alice\.archive@northwind\.example/, 'alice');
    await field('Source mailbox').fill('alice@northwind.example');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test connection' });
    await dialog.getByText('Connection succeeded').waitFor();
    const steps = dialog.getByRole('table', { name: 'Steps' });
    for (const step of ['read profile', 'acquire token', 'open mailbox', 'list labels'])
      await steps.getByRole('row').filter({ hasText: step }).waitFor();
    expect(await dialog.locator('pre').innerText()).toContain('alice@northwind.example');
    await page.screenshot({ path: `${SCREENSHOTS}google-test-connection.png` });
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Archiving profiles' }).waitFor();
    await row('Archiving profiles', 'Alice Gmail').waitFor();
    const profiles = await callApi<{ items: { name: string; type: string; sourceMailbox?: string }[] }>(
      platform.baseUrl,
      adminKey,
      'GET',
      `/tenants/${tenantId}/archiving-profiles`,
    );
    expect(profiles.body.items).toEqual([
      expect.objectContaining({
        name: 'Alice Gmail',
        type: 'google-workspace',
        sourceMailbox: 'alice@northwind.example',
      }),
    ]);
  });

  it('reports a key without domain-wide delegation as an authorization failure, with Google’s words', async () => {
    await row('Archiving profiles', 'Alice Gmail').getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit archiving profile' }).waitFor();
    await choose('Credentials', /^Key without delegation/, 'without');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test connection' });
    await dialog.getByText('Connection failed').waitFor();
    expect(await dialog.getByTestId('error-category').textContent()).toBe('authorization');
    expect(await dialog.locator('pre').innerText()).toContain('unauthorized_client');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Archiving profiles' }).waitFor();
  });
});
