import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  callApi,
  createTenantWithAdmin,
  createTestDatabase,
  type FakeGoogleDomain,
  type GeneratedServiceAccountKey,
  type RunningGoogleFake,
  type RunningPlatform,
  seedGmailMailbox,
  startGoogleFake,
  startPlatform,
  type TestDatabase,
} from '@mailkeep/testing';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 20, deliverable 5: the google-workspace profile form and its test-connection dialog in the
 * web console, in Debian's Chromium driven by playwright-core, against the real platform and the
 * HTTPS Google fake. Set up as test/console.e2e-spec.ts is; each step waits for a state of the
 * page, never for a time. Screenshots go to a temporary directory, removed afterwards.
 */
const CHROMIUM = process.env.MAILKEEP_TEST_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = `${mkdtempSync(join(tmpdir(), 'mailkeep-console-google-'))}/`;
/** Upper bound for one wait on the page; a loaded 2-core machine renders in well under a second. */
const STEP_TIMEOUT_MS = 20_000;
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

const bootstrapKey = `bootstrap_${randomBytes(24).toString('base64url')}`;
let database: TestDatabase;
let platform: RunningPlatform;
let fake: RunningGoogleFake;
let workspace: FakeGoogleDomain;
let delegated: GeneratedServiceAccountKey;
let undelegated: GeneratedServiceAccountKey;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let tenantId = '';
let adminKey = '';

function labelled(label: string): RegExp {
  // Mantine appends " *" to the label of a required field.
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
}

function field(label: string): Locator {
  return page.locator('input, textarea').and(page.getByLabel(labelled(label)));
}

async function choose(label: string, option: string | RegExp, search?: string): Promise<void> {
  const input = page.getByRole('combobox', { name: labelled(label) });
  await input.click();
  if (search !== undefined) await input.fill(search);
  await page.getByRole('option', { name: option }).click();
}

async function nav(label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

function row(tableName: string, text: string): Locator {
  return page.getByRole('table', { name: tableName }).getByRole('row').filter({ hasText: text });
}

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
  database = await createTestDatabase('console_google_e2e');
  [platform, browser] = await Promise.all([
    startPlatform({
      MAILKEEP_DATABASE_URL: database.url,
      MAILKEEP_BOOTSTRAP_API_KEY: bootstrapKey,
      MAILKEEP_GOOGLE_TOKEN_URL: fake.tokenUrl,
      MAILKEEP_GOOGLE_GMAIL_URL: fake.origin,
      MAILKEEP_GOOGLE_ADMIN_URL: fake.origin,
    }),
    // Root in a container has no user namespaces for Chromium's sandbox.
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  ({ tenantId, adminKey } = await createTenantWithAdmin(platform.baseUrl, bootstrapKey, 'Northwind'));
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await platform?.stop();
  await fake?.stop();
  await database?.drop();
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
