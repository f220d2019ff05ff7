import { randomBytes } from 'node:crypto';

import {
  callApi,
  type FakeApplication,
  type FakeTenant,
  generateApplicationCertificate,
  type RunningGraphFake,
  type RunningPlatform,
  seedMailbox,
  startGraphFake,
} from '@mailkeep/testing';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { chooseOption, fieldOf, launchChromium, openConsolePage } from './support/console-browser.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Issue 19, deliverable 5: the Microsoft 365 archiving profile in the web console, end to end — the
 * form of the m365 type, its connection test against the HTTPS fake of the identity platform and
 * Graph (the connector-m365 service of the real platform asks it), with a client secret and with a
 * certificate secret, and a refused secret shown with its category and Microsoft's own words.
 */
const clientSecret = `Qx8Q~${randomBytes(24).toString('base64url')}`;
/** The app registration's certificate: the fake checks each client assertion's signature with it. */
const certificate = generateApplicationCertificate('CN=mailkeep-console-e2e');
let started: E2ePlatform;
let platform: RunningPlatform;
let graph: RunningGraphFake;
let contoso: FakeTenant;
let app: FakeApplication;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let tenantId = '';
let adminKey = '';

const field = (label: string): Locator => fieldOf(page, label);
const choose = (label: string, option: string | RegExp, search?: string): Promise<void> =>
  chooseOption(page, label, option, search);

async function created<T extends { id: string }>(path: string, body: object): Promise<T> {
  const answer = await callApi<T>(platform.baseUrl, adminKey, 'POST', `/tenants/${tenantId}${path}`, body);
  if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

beforeAll(async () => {
  graph = await startGraphFake();
  contoso = graph.addTenant('contoso.example');
  app = contoso.addApplication({
    displayName: 'Mailkeep archive',
    secrets: [clientSecret],
    certificates: [certificate.certificatePem],
    permissions: ['Mail.Read', 'User.Read.All'],
  });
  seedMailbox(contoso.addUser('alice').mailbox!, { largeAttachmentBytes: 0, domain: 'alice.corpus.test' });
  [started, browser] = await Promise.all([
    startE2ePlatform({
      database: 'console_m365_e2e',
      // The connection tests go to the m365 connector.
      services: [...CORE_SERVICES, 'connector-m365'],
      env: {
        MAILKEEP_M365_AUTHORITY_URL: graph.origin,
        MAILKEEP_M365_GRAPH_URL: graph.origin,
        NODE_EXTRA_CA_CERTS: graph.caPath,
      },
      tenant: 'Contoso Archive',
    }),
    launchChromium(),
  ]);
  ({ platform, tenant: tenantId, adminKey } = started);
  // What the form picks from: the archive mailbox and the secrets (created through the API).
  await created('/mailboxes', { primaryAddress: 'alice@contoso.example', displayName: 'Alice' });
  await created('/secrets', { name: 'Entra client secret', type: 'client-secret', clientSecret });
  await created('/secrets', {
    name: 'Rotated client secret',
    type: 'client-secret',
    clientSecret: 'Qx8Q~this-secret-was-rotated-away',
  });
  await created('/secrets', {
    name: 'Entra certificate',
    type: 'certificate',
    certificatePem: certificate.certificatePem,
    privateKeyPem: certificate.privateKeyPem,
  });
  ({ context, page } = await openConsolePage(browser));
  await page.goto(`${platform.baseUrl}/t/${tenantId}/archiving-profiles`);
  await field('API key').fill(adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Archiving profiles' }).waitFor();
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await started?.stop();
  await graph?.stop();
});

/** Fills the m365 form of a new profile (single mailbox) with the app registration and a secret. */
async function fillM365Profile(name: string, secret: RegExp, search: string): Promise<void> {
  await page.getByRole('link', { name: 'Create archiving profile' }).click();
  await page.getByRole('heading', { level: 1, name: 'Create archiving profile' }).waitFor();
  await choose('Type', 'Microsoft 365');
  await field('Name').fill(name);
  await choose('Credentials', secret, search);
  await choose('Mailbox', /alice@contoso\.example/, 'alice');
  await field('Application ID').fill(app.clientId);
  await field('Directory ID').fill(contoso.id);
}

/** Runs the connection test of the form; the dialog, and its steps by name (status and detail). */
async function testConnection(expected: 'Connection succeeded' | 'Connection failed') {
  await page.getByRole('button', { name: 'Test connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Test connection' });
  await dialog.getByText(expected).waitFor();
  const rows = dialog.getByRole('table', { name: 'Steps' }).getByRole('row');
  const steps = new Map<string, { status: string; detail: string }>();
  for (const row of (await rows.all()).slice(1)) {
    const [name = '', status = '', , detail = ''] = await row.getByRole('cell').allInnerTexts();
    steps.set(name, { status, detail });
  }
  const statuses = new Map([...steps].map(([name, step]) => [name, step.status]));
  return { dialog, steps, statuses };
}

async function savedProfile(name: string): Promise<Record<string, unknown>> {
  const list = await callApi<{ items: Record<string, unknown>[] }>(
    platform.baseUrl,
    adminKey,
    'GET',
    `/tenants/${tenantId}/archiving-profiles?search=${encodeURIComponent(name)}`,
  );
  const found = list.body.items.find((profile) => profile['name'] === name);
  if (!found) throw new Error(`no profile named ${name}`);
  return found;
}

describe('the Microsoft 365 archiving profile in the console', () => {
  it('creates an m365 profile with a client secret after a passing connection test', async () => {
    await fillM365Profile('Contoso alice (secret)', /^Entra client secret/, 'Entra client');
    const { dialog, steps, statuses } = await testConnection('Connection succeeded');
    expect(statuses).toEqual(
      new Map([
        ['read profile', 'ok'],
        ['acquire token', 'ok'],
        ['open mailbox', 'ok'],
        ['list folders', 'ok'],
      ]),
    );
    const inbox = contoso.user('alice@contoso.example')!.mailbox!.wellKnown('inbox');
    const inboxCount = [...contoso.user('alice@contoso.example')!.mailbox!.messages.values()].filter(
      (m) => m.folderId === inbox.id && !m.deleted,
    ).length;
    expect(steps.get('open mailbox')?.detail).toBe(
      `alice@contoso.example: Inbox holds ${inboxCount} messages`,
    );
    expect(steps.get('read profile')?.detail).toMatch(/, client-secret$/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Archiving profiles' }).waitFor();
    await page
      .getByRole('table', { name: 'Archiving profiles' })
      .getByRole('row')
      .filter({ hasText: 'Contoso alice (secret)' })
      .waitFor();
    expect(await savedProfile('Contoso alice (secret)')).toMatchObject({
      type: 'm365',
      mode: 'single',
      applicationId: app.clientId,
      directoryId: contoso.id,
    });
  });

  it('creates an m365 profile with a certificate secret (a signed client assertion)', async () => {
    const tokensBefore = graph.counters.tokensIssued;
    await fillM365Profile('Contoso alice (certificate)', /^Entra certificate/, 'certificate');
    const { dialog, steps, statuses } = await testConnection('Connection succeeded');
    expect([...statuses.values()]).toEqual(['ok', 'ok', 'ok', 'ok']);
    // The read-profile step names the credential: the token came from a signed client assertion.
    expect(steps.get('read profile')?.detail).toBe(
      `application ${app.clientId} in directory ${contoso.id}, certificate`,
    );
    expect(graph.counters.tokensIssued).toBe(tokensBefore + 1);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Archiving profiles' }).waitFor();
    expect(await savedProfile('Contoso alice (certificate)')).toMatchObject({ type: 'm365' });
  });

  it('shows a refused secret as authentication, with Microsoft’s message, and saves the edit', async () => {
    const table = page.getByRole('table', { name: 'Archiving profiles' });
    await table
      .getByRole('row')
      .filter({ hasText: 'Contoso alice (secret)' })
      .getByRole('button', { name: 'Edit' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Edit archiving profile' }).waitFor();
    await choose('Credentials', /^Rotated client secret/, 'Rotated');
    const { dialog, statuses } = await testConnection('Connection failed');
    expect(await dialog.getByTestId('error-category').textContent()).toBe('authentication');
    await dialog
      .getByText(/AADSTS7000215/)
      .first()
      .waitFor();
    expect(statuses.get('acquire token')).toBe('failed');
    expect(statuses.get('open mailbox')).not.toBe('ok');
    await dialog.getByRole('button', { name: 'Close' }).click();
    // The edit is saved as a PATCH of the m365 type (the rotated secret is a valid reference).
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'Archiving profiles' }).waitFor();
    const saved = await savedProfile('Contoso alice (secret)');
    expect(saved).toMatchObject({ type: 'm365', version: 2, applicationId: app.clientId });
  });
});
