import { callApi, type RunningPlatform, type RunningSlapd, startSlapd } from '@mailkeep/testing';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  chooseOption as chooseOf,
  type ConsoleBrowser,
  fieldOf,
  openConsoleBrowser,
  row,
  signIn,
} from './support/console-browser.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The console's Active Directory / LDAP directory form (issue 21) in Debian's Chromium, driven by
 * playwright-core, against the real platform and a real slapd (libs/testing startSlapd): create
 * with a field error from the API shown at its field, test the connection, preview and commit a
 * sync. Each step waits for a state of the page, never for a time.
 */
let started: E2ePlatform;
let platform: RunningPlatform;
let slapd: RunningSlapd;
let browser: ConsoleBrowser;
let page: Page;
let tenantId = '';
let adminKey = '';

const field = (label: string): Locator => fieldOf(page, label);
const choose = (label: string, option: string | RegExp, search?: string) =>
  chooseOf(page, label, option, search);

beforeAll(async () => {
  slapd = await startSlapd();
  [started, browser] = await Promise.all([
    startE2ePlatform({
      database: 'console_ldap_e2e',
      // The directory service reads slapd itself: no connector.
      services: CORE_SERVICES,
      options: { mailServers: [slapd] },
      tenant: 'Contoso',
    }),
    openConsoleBrowser(),
  ]);
  ({ platform, tenant: tenantId, adminKey } = started);
  const secret = await callApi(platform.baseUrl, adminKey, 'POST', `/tenants/${tenantId}/secrets`, {
    name: 'Contoso LDAP reader',
    type: 'basic',
    username: slapd.directory.readerDn,
    password: slapd.directory.readerPassword,
  });
  expect(secret.status).toBe(201);
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await started?.stop();
  await slapd?.stop();
});

describe('the Active Directory / LDAP directory form in a browser', () => {
  it('creates an ldap directory service, showing the API’s field error at its field', async () => {
    await signIn(
      page,
      `${platform.baseUrl}/t/${tenantId}/directory-services`,
      adminKey,
      'Directory services',
    );

    await page.getByRole('button', { name: 'Create directory service' }).click();
    await field('Name').fill('Contoso AD');
    await choose('Type', 'Active Directory / LDAP');
    await field('Server name').fill('127.0.0.1');
    await field('Port').fill(String(slapd.ports.ldap));
    await choose('Connection security', /StartTLS/);
    await choose('Bind account', /Contoso LDAP reader/, 'Contoso');
    await field('Base DN').fill('contoso.com');
    await field('Page size').fill('40');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByText('baseDn must be a distinguished name').waitFor();

    await field('Base DN').fill(slapd.directory.suffix);
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await row(page, 'Directory services', 'Contoso AD').waitFor();
  });

  it('tests the connection, previews a sync and commits it', async () => {
    const service = row(page, 'Directory services', 'Contoso AD');
    await service.getByRole('button', { name: 'Test connection' }).click();
    const testDialog = page.getByRole('dialog');
    await testDialog.getByText('Connection succeeded').waitFor();
    const steps = testDialog.getByRole('table', { name: 'Steps' }).locator('tbody tr td:first-child');
    expect(await steps.allInnerTexts()).toEqual(['connect', 'start tls', 'bind', 'search']);
    await testDialog.getByRole('button', { name: 'Close' }).click();

    await service.getByRole('button', { name: 'Sync' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Preview: nothing has changed yet.').waitFor();
    const changes = dialog.getByRole('table', { name: 'Changes' }).getByRole('row');
    await changes.filter({ hasText: 'adele.vance@contoso.com' }).waitFor();
    expect(await changes.filter({ hasText: 'WS-0042' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await dialog.getByText('The changes below are done.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    const people = slapd.directory.staff.length + slapd.directory.contractors.length;
    await service.getByRole('link', { name: String(people) }).waitFor();
  });
});
