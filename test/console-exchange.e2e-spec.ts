import { randomBytes } from 'node:crypto';

import {
  callApi,
  type RunningEwsFake,
  type RunningPlatform,
  seedEwsMailbox,
  startEwsFake,
} from '@mailkeep/testing';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { chooseOption, type ConsoleBrowser, fieldOf, openConsoleBrowser } from './support/console-browser.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Issue 21, the console part: the exchange profile form in Debian's Chromium driven by
 * playwright-core, against the real platform and the EWS fake — the Exchange Online note, the
 * warning when certificate errors are ignored, a connection test (NTLM, impersonation, folders)
 * that succeeds and one that fails with its category, and the profile created.
 */
const servicePassword = `Ews!${randomBytes(12).toString('base64url')}`;
let started: E2ePlatform;
let platform: RunningPlatform;
let fake: RunningEwsFake;
let consoleBrowser: ConsoleBrowser;
let page: Page;
let tenantId = '';
let adminKey = '';

/** A REST call that must succeed (setup and checks; the page is what the test drives). */
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const answer = await callApi<T>(platform.baseUrl, adminKey, method, path, body);
  if (answer.status >= 300)
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const field = (label: string): Locator => fieldOf(page, label);
const choose = (label: string, option: string | RegExp, search?: string): Promise<void> =>
  chooseOption(page, label, option, search);

beforeAll(async () => {
  fake = await startEwsFake();
  fake.addServiceAccount({
    userName: 'svc-archive',
    userPrincipalName: 'svc-archive@contoso.example',
    password: servicePassword,
    impersonates: ['alice@contoso.example'],
  });
  seedEwsMailbox(fake.addMailbox('alice@contoso.example'));
  fake.addMailbox('bob@contoso.example');
  [started, consoleBrowser] = await Promise.all([
    startE2ePlatform({
      database: 'console_exchange_e2e',
      // The profile's connection test goes to the Exchange connector; nothing here needs the others.
      services: [...CORE_SERVICES, 'connector-exchange'],
      env: {
        MAILKEEP_EGRESS_ALLOW: `127.0.0.1:${fake.port}`,
        MAILKEEP_EXCHANGE_URL_TEMPLATE: `https://{serverName}:${fake.port}/EWS/Exchange.asmx`,
      },
      tenant: 'Contoso',
    }),
    openConsoleBrowser(),
  ]);
  ({ platform, tenant: tenantId, adminKey } = started);
  ({ page } = consoleBrowser);
  await api('POST', `/tenants/${tenantId}/secrets`, {
    name: 'Exchange service account',
    type: 'basic',
    username: 'CONTOSO\\svc-archive',
    password: servicePassword,
  });
  await api('POST', `/tenants/${tenantId}/mailboxes`, { primaryAddress: 'alice@contoso.example' });
  await page.setViewportSize({ width: 1280, height: 900 });
}, 240_000);

afterAll(async () => {
  await consoleBrowser?.close();
  await started?.stop();
  await fake?.stop();
});

describe('the exchange profile form in a browser', () => {
  it('says Exchange Online goes through Microsoft 365, warns about ignored certificates, tests the connection and creates the profile', async () => {
    await page.goto(`${platform.baseUrl}/t/${tenantId}/archiving-profiles/new`);
    await field('API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create archiving profile' }).waitFor();

    await choose('Type', 'Exchange Server');
    await page.getByText('Exchange Online retired EWS in October 2026').waitFor();
    await page.getByText('/EWS/Exchange.asmx').waitFor();
    for (const label of ['Server name', 'Timeout (seconds)', 'Source mailbox'])
      expect(await field(label).count(), label).toBe(1);
    expect(await field('Port').count()).toBe(0);

    await field('Name').fill('Alice Exchange');
    await choose('Credentials', /^Exchange service account/, 'Exchange');
    await choose('Mailbox', /alice@contoso\.example/, 'alice');
    await field('Server name').fill('127.0.0.1');
    await field('Source mailbox').fill('alice@contoso.example');

    const warning = page.getByText('Certificate errors are ignored');
    await page.getByRole('checkbox', { name: 'Ignore TLS certificate errors' }).check();
    await warning.waitFor();
    await page.getByRole('checkbox', { name: 'Ignore TLS certificate errors' }).uncheck();
    await warning.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Test connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test connection' });
    await dialog.getByText('Connection succeeded').waitFor();
    const steps = dialog.getByRole('table', { name: 'Steps' });
    await steps.getByText('authenticated with NTLM').waitFor();
    await steps.getByText('alice@contoso.example: Inbox holds').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // A mailbox outside the account's impersonation scope: Exchange's refusal, categorised.
    await field('Source mailbox').fill('bob@contoso.example');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('Connection failed').waitFor();
    expect(await dialog.getByTestId('error-category').textContent()).toBe('authorization');
    await dialog
      .getByText(/ErrorImpersonateUserDenied/)
      .first()
      .waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await field('Source mailbox').fill('alice@contoso.example');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Archiving profiles' }).waitFor();
    await page
      .getByRole('table', { name: 'Archiving profiles' })
      .getByRole('row')
      .filter({ hasText: 'Alice Exchange' })
      .waitFor();
    const profiles = await api<{ items: { name: string; type: string; serverName?: string }[] }>(
      'GET',
      `/tenants/${tenantId}/archiving-profiles`,
    );
    expect(profiles.items).toEqual([
      expect.objectContaining({ name: 'Alice Exchange', type: 'exchange', serverName: '127.0.0.1' }),
    ]);
  });
});
