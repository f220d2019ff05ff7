import { createHash, randomBytes } from 'node:crypto';

import {
  contosoDirectory,
  type EwsItem,
  type RunningEwsFake,
  type RunningPlatform,
  type RunningSlapd,
  seedEwsMailbox,
  startEwsFake,
  startSlapd,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';
import { archiveApi } from './support/archive-api.js';

/**
 * Issue 21's first done-when item: an exchange multiple-mode run over the mailboxes an `ldap`
 * directory service synced from a real slapd. The directory's AD users are the EWS fake's
 * mailboxes; one of them is a disabled account (userAccountControl 514), whose mailbox exists in
 * Exchange, with mail, and must not be archived. Only the REST API in between.
 */
let bootstrapKey = '';
const servicePassword = `Ews!${randomBytes(12).toString('base64url')}`;
let started: E2ePlatform;
let platform: RunningPlatform;
let slapd: RunningSlapd;
let fake: RunningEwsFake;
let tenant = '';
let admin = '';

const { call, created, download, catalogued, cataloguedCount, runToEnd, dailySchedule } = archiveApi(() => ({
  baseUrl: platform.baseUrl,
  bootstrapKey,
  adminKey: admin,
  tenant,
}));

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The four named AD users of the seeded directory (no generated staff: a small, quick sync). */
const directory = contosoDirectory({ staffCount: 0 });
const DISABLED = 'alex.wilber@contoso.com';
/** What each mailbox in Exchange must yield with default folder rules, by primary address. */
const archivable = new Map<string, EwsItem[]>();

beforeAll(async () => {
  [slapd, fake] = await Promise.all([startSlapd({ directory }), startEwsFake()]);
  const addresses = directory.staff.map((person) => person.mail[0]!);
  expect(addresses).toContain(DISABLED);
  fake.addServiceAccount({
    userName: 'svc-archive',
    userPrincipalName: 'svc-archive@contoso.com',
    password: servicePassword,
    impersonates: addresses,
  });
  for (const [index, address] of addresses.entries()) {
    const seeded = seedEwsMailbox(fake.addMailbox(address), {
      largeAttachmentBytes: 0,
      domain: `${address.split('@')[0]}.corpus.test`,
      seed: index + 1,
    });
    archivable.set(address, seeded.archivable);
  }
  started = await startE2ePlatform({
    database: 'exchange_ldap_e2e',
    services: [...CORE_SERVICES, 'connector-exchange'],
    env: {
      // The fake listens on loopback, which the default egress policy refuses: allow its port only
      // (slapd's two ports are added by `mailServers`).
      MAILKEEP_EGRESS_ALLOW: `127.0.0.1:${fake.port}`,
      MAILKEEP_EXCHANGE_URL_TEMPLATE: `https://{serverName}:${fake.port}/EWS/Exchange.asmx`,
    },
    options: { mailServers: [slapd] },
    tenant: 'Contoso Archive',
  });
  ({ platform, bootstrapKey, tenant, adminKey: admin } = started);
}, 240_000);

afterAll(async () => {
  await started?.stop();
  await fake?.stop();
  await slapd?.stop();
});

describe('an exchange multiple-mode run over mailboxes synced from LDAP', () => {
  it('archives every enabled directory user’s mailbox byte for byte, skips the disabled account, then archives nothing', async () => {
    const readerSecret = await created<{ id: string }>('/secrets', {
      name: 'Contoso LDAP reader',
      type: 'basic',
      username: directory.readerDn,
      password: directory.readerPassword,
    });
    // Staff only: the contractors of the seeded directory have no Exchange mailbox.
    const ldap = await created<{ id: string }>('/directory-services', {
      name: 'Contoso AD',
      type: 'ldap',
      serverName: '127.0.0.1',
      port: slapd.ports.ldaps,
      protocol: 'ldap-ssl',
      baseDn: `ou=Staff,${directory.suffix}`,
      credentialsSecretId: readerSecret.id,
    });
    const sync = await call<{ created: number; errors: unknown[] }>(
      'POST',
      `/tenants/${tenant}/directory-services/${ldap.id}/sync`,
      { dryRun: false },
    );
    expect(sync.status, JSON.stringify(sync.body)).toBe(200);
    expect(sync.body).toMatchObject({ created: directory.staff.length, errors: [] });

    const listed = await call<{ items: { id: string; primaryAddress: string; enabled: boolean }[] }>(
      'GET',
      `/tenants/${tenant}/mailboxes?directoryServiceId=${ldap.id}&limit=100`,
    );
    const mailboxIds = new Map(listed.body.items.map((m) => [m.primaryAddress, m.id]));
    expect([...mailboxIds.keys()].sort()).toEqual([...archivable.keys()].sort());
    expect(listed.body.items.filter((m) => !m.enabled).map((m) => m.primaryAddress)).toEqual([DISABLED]);

    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Contoso Exchange',
      type: 'exchange',
      mode: 'multiple',
      credentialsSecretId: (
        await created<{ id: string }>('/secrets', {
          name: 'Contoso archiver',
          type: 'basic',
          username: `${fake.netbiosDomain}\\svc-archive`,
          password: servicePassword,
        })
      ).id,
      directoryServiceId: ldap.id,
      serverName: '127.0.0.1',
      timeoutSeconds: 30,
    });
    const schedule = await dailySchedule(profile.id);
    const enabled = [...archivable.keys()].filter((address) => address !== DISABLED);
    const expectedTotal = enabled.reduce((sum, address) => sum + archivable.get(address)!.length, 0);

    const first = await runToEnd(schedule);
    expect(first, JSON.stringify(first)).toMatchObject({
      status: 'succeeded',
      counters: {
        mailboxesTotal: enabled.length,
        mailboxesSucceeded: enabled.length,
        messagesArchived: expectedTotal,
        messagesFailed: 0,
      },
    });
    expect(first.tasks.map((task) => task.mailboxId)).not.toContain(mailboxIds.get(DISABLED));
    for (const address of enabled) {
      const expected = archivable.get(address)!;
      const rows = await cataloguedCount(mailboxIds.get(address)!, expected.length);
      expect(rows).toHaveLength(expected.length);
      const mimeBySha = new Map(expected.map((item) => [sha256(item.mime), item.mime]));
      expect(new Set(rows.map((row) => row.sha256))).toEqual(new Set(mimeBySha.keys()));
      for (const row of rows)
        expect((await download(row.id)).bytes.equals(mimeBySha.get(row.sha256)!)).toBe(true);
    }
    // Exchange holds mail for the disabled account; none of it reached the archive.
    expect(archivable.get(DISABLED)!.length).toBeGreaterThan(0);
    expect(await catalogued(mailboxIds.get(DISABLED)!)).toEqual([]);

    const second = await runToEnd(schedule);
    expect(second.counters).toMatchObject({
      mailboxesSucceeded: enabled.length,
      messagesArchived: 0,
      duplicatesSkipped: 0,
      messagesFailed: 0,
    });
  }, 180_000);
});
