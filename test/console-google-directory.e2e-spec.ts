import { GOOGLE_SCOPES } from '@mailkeep/google-workspace';
import {
  callApi,
  type FakeGoogleDomain,
  type GeneratedServiceAccountKey,
  type RunningGoogleFake,
  type RunningPlatform,
  startGoogleFake,
} from '@mailkeep/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  chooseOption,
  type ConsoleBrowser,
  fieldOf,
  nav,
  openConsoleBrowser,
  row,
  signIn,
} from './support/console-browser.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Issue 20, deliverable 5: the console's google-workspace directory form in Chromium against the
 * real platform, whose directory service reads the HTTPS Google fake. A person pastes the service
 * account's JSON key into a secret, creates the directory service (the form's own and the API's
 * field errors shown at the fields), tests it, previews and commits a sync, and edits it.
 */
let started: E2ePlatform;
let platform: RunningPlatform;
let google: RunningGoogleFake;
let northwind: FakeGoogleDomain;
let key: GeneratedServiceAccountKey;
let console_: ConsoleBrowser;
let page: Page;
let tenantId = '';
let adminKey = '';

beforeAll(async () => {
  google = await startGoogleFake();
  northwind = google.addDomain('northwind.example');
  northwind.addUser('it-admin', { givenName: 'Ingrid', familyName: 'Tanaka', isAdmin: true });
  northwind.addUser('maria.garcia', {
    givenName: 'María',
    familyName: 'García',
    aliases: ['maria@northwind.example'],
  });
  northwind.addUser('former.employee', { givenName: 'Former', familyName: 'Employee', suspended: true });
  northwind.addUser('meeting-room', { givenName: 'Meeting', familyName: 'Room', gmail: false });
  key = google.addServiceAccount(northwind, {
    delegatedScopes: [GOOGLE_SCOPES.directoryUserReadonly, GOOGLE_SCOPES.directoryGroupMemberReadonly],
  }).key;
  [started, console_] = await Promise.all([
    startE2ePlatform({
      database: 'console_google_directory',
      // The directory service reads the Google fake itself: no connector.
      services: CORE_SERVICES,
      env: {
        MAILKEEP_GOOGLE_TOKEN_URL: google.tokenUrl,
        MAILKEEP_GOOGLE_ADMIN_URL: google.origin,
        MAILKEEP_GOOGLE_GMAIL_URL: google.origin,
        NODE_EXTRA_CA_CERTS: google.caPath,
      },
      tenant: 'Northwind',
    }),
    openConsoleBrowser(),
  ]);
  page = console_.page;
  ({ platform, tenant: tenantId, adminKey } = started);
}, 180_000);

afterAll(async () => {
  await console_?.close();
  await started?.stop();
  await google?.stop();
});

describe('the google-workspace directory form in a browser', () => {
  it('stores the service account key as a secret, pasted as JSON', async () => {
    await signIn(page, `${platform.baseUrl}/t/${tenantId}/secrets`, adminKey, 'Secrets');
    await page.getByRole('button', { name: 'Create secret' }).click();
    await fieldOf(page, 'Name').fill('Northwind service account');
    await chooseOption(page, 'Type', 'Google service account');
    await fieldOf(page, 'Service account key (JSON)').fill(JSON.stringify(key.json, null, 2));
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await row(page, 'Secrets', 'Northwind service account').getByText(key.clientEmail).waitFor();
  });

  it('creates the service with only its fields, showing the form’s and the API’s field errors', async () => {
    await nav(page, 'Directory services');
    await page.getByRole('button', { name: 'Create directory service' }).click();
    const dialog = page.getByRole('dialog');
    await fieldOf(page, 'Name').fill('Northwind Workspace');
    await chooseOption(page, 'Type', 'Google Workspace');
    expect(await fieldOf(page, 'Application ID').count()).toBe(0);
    expect(await fieldOf(page, 'Domain').count()).toBe(0);
    await chooseOption(page, 'Service account key', /Northwind service account/, 'Northwind');
    await fieldOf(page, 'Admin subject').fill('it-admin');
    await dialog.getByText('One domain', { exact: true }).click();
    expect(await fieldOf(page, 'Customer ID').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('Enter the domain, or choose the whole account.').waitFor();

    await fieldOf(page, 'Domain').fill('northwind.example');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('adminSubject must be an email address (local@domain)').waitFor();
    await fieldOf(page, 'Admin subject').fill('it-admin@northwind.example');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await row(page, 'Directory services', 'Northwind Workspace').getByText('Google Workspace').waitFor();
    expect(await dialog.count()).toBe(0);
  });

  it('tests the connection, previews the sync (a suspended user disabled, no user without Gmail) and commits it', async () => {
    const service = row(page, 'Directory services', 'Northwind Workspace');
    await service.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('dialog').getByText('Connection succeeded').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    await service.getByRole('button', { name: 'Sync' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Preview: nothing has changed yet.').waitFor();
    const changes = dialog.getByRole('table', { name: 'Changes' }).getByRole('row');
    await changes
      .filter({ hasText: 'maria.garcia@northwind.example' })
      .getByText('maria@northwind.example')
      .waitFor();
    await changes.filter({ hasText: 'former.employee@northwind.example' }).getByText('disabled').waitFor();
    expect(await changes.filter({ hasText: 'disabled' }).count()).toBe(1);
    expect(await changes.filter({ hasText: 'meeting-room' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await dialog.getByText('The changes below are done.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await service.getByRole('link', { name: '3' }).waitFor();

    const mailboxes = await callApi<{ items: { primaryAddress: string; enabled: boolean }[] }>(
      platform.baseUrl,
      adminKey,
      'GET',
      `/tenants/${tenantId}/mailboxes?search=northwind`,
    );
    expect(mailboxes.body.items.map((m) => [m.primaryAddress, m.enabled])).toEqual([
      ['former.employee@northwind.example', false],
      ['it-admin@northwind.example', true],
      ['maria.garcia@northwind.example', true],
    ]);
  });

  it('edits it: the saved domain is shown, and a group is added', async () => {
    await row(page, 'Directory services', 'Northwind Workspace')
      .getByRole('button', { name: 'Edit' })
      .click();
    const dialog = page.getByRole('dialog');
    expect(await fieldOf(page, 'Domain').inputValue()).toBe('northwind.example');
    expect(await fieldOf(page, 'Admin subject').inputValue()).toBe('it-admin@northwind.example');
    await fieldOf(page, 'Group').fill('archive@northwind.example');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const services = await callApi<{ items: Record<string, unknown>[] }>(
      platform.baseUrl,
      adminKey,
      'GET',
      `/tenants/${tenantId}/directory-services`,
    );
    const saved = services.body.items.find((s) => s['name'] === 'Northwind Workspace');
    expect(saved).toMatchObject({
      type: 'google-workspace',
      adminSubject: 'it-admin@northwind.example',
      domain: 'northwind.example',
      groupKey: 'archive@northwind.example',
    });
    expect(saved).not.toHaveProperty('customer');
  });
});
