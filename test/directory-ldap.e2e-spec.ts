import {
  type ApiAnswer,
  callApi,
  type RunningPlatform,
  type RunningSlapd,
  startSlapd,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Mailbox as ListedMailbox, Problem, SyncResult } from './support/directory-api.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The ldap directory service end to end (issue 21): the platform as the README starts it, a real
 * slapd (libs/testing: AD-like users with proxyAddresses, userAccountControl and objectGUID,
 * OpenLDAP people with entryUUID, nested groups, a size limit of 50 below the 126 people) reached
 * through the egress policy with exactly its two ports allowed, driven over HTTP with a real
 * `basic` secret resolved by the real secrets service.
 */
let started: E2ePlatform;
let platform: RunningPlatform;
let slapd: RunningSlapd;
let tenant = '';
let adminKey = '';

/** A mailbox as listed, with its id (a renamed user must keep it). */
type Mailbox = ListedMailbox & { id: string };
interface TestResult {
  success: boolean;
  steps: { name: string; status: string; detail: string }[];
  error?: { category: string; serverMessage: string };
}

const call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> => callApi<T>(platform.baseUrl, adminKey, method, `/tenants/${tenant}${path}`, body);

beforeAll(async () => {
  slapd = await startSlapd();
  started = await startE2ePlatform({
    database: 'directory_ldap_e2e',
    // The directory service reads slapd itself: no connector.
    services: CORE_SERVICES,
    env: { MAILKEEP_LOG_LEVEL: 'info' },
    options: { mailServers: [slapd] },
    tenant: 'Contoso',
  });
  ({ platform, tenant, adminKey } = started);
});

afterAll(async () => {
  await started?.stop();
  await slapd?.stop();
});

describe('an ldap directory service over HTTP, against slapd', () => {
  let secretId = '';
  let serviceId = '';
  const settings = () => ({
    serverName: '127.0.0.1',
    port: slapd.ports.ldaps,
    protocol: 'ldap-ssl',
    baseDn: slapd.directory.suffix,
    pageSize: 40,
  });
  const sync = (id: string, body: Record<string, unknown>) =>
    call<SyncResult>('POST', `/directory-services/${id}/sync`, body);
  const members = async (id: string) => {
    const items: Mailbox[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiAnswer<{ items: Mailbox[]; nextCursor: string | null }> = await call(
        'GET',
        `/mailboxes?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items.filter((mailbox) => mailbox.directoryServiceId === id);
  };

  it('is created with a basic secret, its settings next to type, and refuses what does not fit', async () => {
    await waitFor(async () => (await call('GET', '/directory-services')).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'the directory service to answer',
    });
    secretId = (
      await call<{ id: string }>('POST', '/secrets', {
        name: 'Contoso LDAP reader',
        type: 'basic',
        username: slapd.directory.readerDn,
        password: slapd.directory.readerPassword,
      })
    ).body.id;
    const appSecret = (
      await call<{ id: string }>('POST', '/secrets', {
        name: 'Some app',
        type: 'client-secret',
        clientSecret: 'Xy28Q~Lr3mP.aB7cD9eF0gH1iJ2kL3mN4oP5qR6s',
      })
    ).body.id;

    const refused = await call<Problem>('POST', '/directory-services', {
      name: 'Contoso AD',
      type: 'ldap',
      ...settings(),
      credentialsSecretId: appSecret,
      protocol: 'ldaps',
      baseDn: 'contoso.com',
      filter: '(objectClass=user',
      applicationId: '9a0c0305-e82c-4f89-11d3-3f2504e04f89',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((e) => e.field).sort()).toEqual([
      'applicationId',
      'baseDn',
      'filter',
      'protocol',
    ]);
    const wrongSecret = await call<Problem>('POST', '/directory-services', {
      name: 'Contoso AD',
      type: 'ldap',
      ...settings(),
      credentialsSecretId: appSecret,
    });
    expect(wrongSecret.body.errors?.map((e) => e.field)).toEqual(['credentialsSecretId']);

    const created = await call('POST', '/directory-services', {
      name: 'Contoso AD',
      type: 'ldap',
      ...settings(),
      credentialsSecretId: secretId,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'ldap',
      ...settings(),
      credentialsSecretId: secretId,
      memberCount: 0,
    });
    expect(created.body).not.toHaveProperty('settings');
    serviceId = created.body.id as string;
    const deleteSecret = await call<Problem>('DELETE', `/secrets/${secretId}`);
    expect(deleteSecret.status).toBe(409);
    expect(deleteSecret.body.detail).toContain('Contoso AD');
  });

  it('tests the connection step by step', async () => {
    const test = await call<TestResult>('POST', `/directory-services/${serviceId}/test-connection`);
    expect(test.status).toBe(200);
    expect(test.body.success).toBe(true);
    expect(test.body.steps.map((s) => [s.name, s.status])).toEqual([
      ['connect', 'ok'],
      ['bind', 'ok'],
      ['search', 'ok'],
    ]);
  });

  it('lists every person on a dry run, pages past the size limit, then creates them on a commit', async () => {
    const { staff, contractors } = slapd.directory;
    const people = staff.length + contractors.length;
    const dry = await sync(serviceId, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: people, updated: 0, disabled: 0, errors: [] });
    const change = (address: string) => dry.body.changes.find((c) => c.primaryAddress === address);
    expect(change('adele.vance@contoso.com')).toEqual({
      action: 'create',
      primaryAddress: 'adele.vance@contoso.com',
      displayName: 'Adele Vance',
      secondaryAddresses: ['adele@contoso.com', 'AdeleV@contoso.onmicrosoft.com'],
      enabled: true,
    });
    expect(change('alex.wilber@contoso.com')).toMatchObject({ action: 'create', enabled: false });
    expect(change('bianca.pisani@fabrikam.com')).toMatchObject({
      secondaryAddresses: ['bianca@fabrikam.com'],
    });
    expect(await members(serviceId)).toEqual([]);

    const commit = await sync(serviceId, { dryRun: false });
    expect(commit.body).toMatchObject({ dryRun: false, created: people, errors: [] });
    const synced = await members(serviceId);
    expect(synced).toHaveLength(people);
    expect(synced.every((m) => m.origin === 'directory')).toBe(true);
    expect(synced.filter((m) => !m.enabled).map((m) => m.primaryAddress)).toEqual([
      'alex.wilber@contoso.com',
    ]);
    const again = await sync(serviceId, { dryRun: false });
    expect(again.body).toMatchObject({ created: 0, updated: 0, disabled: 0, unchanged: people });
  });

  it('keeps only a group’s members, nested groups included', async () => {
    const scoped = await call('POST', '/directory-services', {
      name: 'Contoso archive scope',
      type: 'ldap',
      ...settings(),
      protocol: 'ldap-tls',
      port: slapd.ports.ldap,
      credentialsSecretId: secretId,
      groupDn: slapd.directory.groups.find((g) => g.cn === 'Archive-Scope')?.dn,
    });
    expect(scoped.status).toBe(201);
    const dry = await sync(scoped.body.id as string, { dryRun: true });
    // They are members of the first service already: the dry run names the clash, never a 5xx.
    expect(dry.status).toBe(200);
    expect(dry.body.errors.map((e) => e.entry).sort()).toEqual([
      'adele.vance@contoso.com',
      'diego.siciliani@contoso.com',
      'megan.bowen@contoso.com',
    ]);
  });

  it('updates a renamed user instead of duplicating it, disables a disabled account and, with disableMissing, a deleted one', async () => {
    const { suffix } = slapd.directory;
    const before = new Map((await members(serviceId)).map((m) => [m.primaryAddress, m]));
    await slapd.modify(
      [
        `dn: cn=Adele Vance,ou=Staff,${suffix}\nchangetype: modrdn\nnewrdn: cn=Adele Vance-Smith\ndeleteoldrdn: 1`,
        `dn: cn=Adele Vance-Smith,ou=Staff,${suffix}\nchangetype: modify\nreplace: mail\nmail: adele.vance-smith@contoso.com\n-\nreplace: proxyAddresses\nproxyAddresses: SMTP:adele.vance-smith@contoso.com\nproxyAddresses: smtp:adele.vance@contoso.com\n-\nreplace: displayName\ndisplayName: Adele Vance-Smith`,
        `dn: cn=Megan Bowen,ou=Staff,${suffix}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 66050`,
        `dn: cn=Diego Siciliani,ou=Staff,${suffix}\nchangetype: delete`,
      ].join('\n\n'),
    );
    // Smaller pages for the rest: an edit of a type-specific field, the others kept.
    const patched = await call('PATCH', `/directory-services/${serviceId}`, { pageSize: 30 });
    expect(patched.body).toMatchObject({
      pageSize: 30,
      baseDn: slapd.directory.suffix,
      protocol: 'ldap-ssl',
    });
    const withoutDisable = await sync(serviceId, { dryRun: true });
    expect(withoutDisable.body).toMatchObject({ updated: 1, disabled: 1 });

    const commit = await sync(serviceId, { dryRun: false, disableMissing: true });
    expect(commit.body).toMatchObject({ updated: 1, disabled: 2, errors: [] });
    expect(commit.body.changes.map((c) => [c.action, c.primaryAddress, c.enabled]).sort()).toEqual([
      ['disable', 'diego.siciliani@contoso.com', false],
      ['disable', 'megan.bowen@contoso.com', false],
      ['update', 'adele.vance-smith@contoso.com', true],
    ]);
    const after = new Map((await members(serviceId)).map((m) => [m.primaryAddress, m]));
    expect(after.get('adele.vance-smith@contoso.com')).toMatchObject({
      id: before.get('adele.vance@contoso.com')?.id,
      displayName: 'Adele Vance-Smith',
      secondaryAddresses: ['adele.vance@contoso.com'],
    });
    expect(after.has('adele.vance@contoso.com')).toBe(false);
    expect(after.size).toBe(before.size);
  });

  it('answers a wrong password with a clear 422 and a failed test naming authentication, never a 5xx', async () => {
    const wrong = (
      await call<{ id: string }>('POST', '/secrets', {
        name: 'Contoso LDAP reader (old password)',
        type: 'basic',
        username: slapd.directory.readerDn,
        password: 'Summer2025!',
      })
    ).body.id;
    const service = await call('POST', '/directory-services', {
      name: 'Contoso AD (old password)',
      type: 'ldap',
      ...settings(),
      credentialsSecretId: wrong,
    });
    const failed = await sync(service.body.id as string, { dryRun: true });
    expect(failed.status).toBe(422);
    expect((failed.body as unknown as Problem).detail).toContain('rejected the bind DN or password');
    const test = await call<TestResult>(
      'POST',
      `/directory-services/${service.body.id as string}/test-connection`,
    );
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ success: false, error: { category: 'authentication' } });
    expect(test.body.steps.map((s) => [s.name, s.status])).toEqual([
      ['connect', 'ok'],
      ['bind', 'failed'],
      ['search', 'skipped'],
    ]);
  });
});
