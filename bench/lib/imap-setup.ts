/**
 * The REST configuration every IMAP bench archives through, as an MSP would set it up: a tenant
 * with an admin key, a static directory with one mailbox per corpus user, a basic secret of
 * Dovecot's master user, a `multiple`-mode IMAP profile over implicit TLS and a schedule.
 */
import type { RunningDovecot } from '@mailkeep/testing';

import { type BenchPlatform, createTenant, restClient } from '#lib/services';

export interface ImapArchiving {
  readonly tenantId: string;
  /** The tenant's REST client. */
  readonly call: ReturnType<typeof restClient>;
  /** `/tenants/<id>`: the prefix of the tenant's routes. */
  readonly t: string;
  readonly scheduleId: string;
}

export async function configureImapArchiving(
  platform: BenchPlatform,
  name: string,
  dovecot: RunningDovecot,
  users: readonly string[],
): Promise<ImapArchiving> {
  const { tenantId, key } = await createTenant(platform, name);
  const call = restClient(platform.baseUrl, () => key);
  const t = `/tenants/${tenantId}`;
  const directory = await call<{ id: string }>('POST', `${t}/directory-services`, {
    name: 'Bench mailboxes',
    type: 'static',
  });
  for (const user of users) {
    await call('POST', `${t}/mailboxes`, { primaryAddress: user, directoryServiceId: directory.id });
  }
  const secret = await call<{ id: string }>('POST', `${t}/secrets`, {
    name: 'dovecot master user',
    type: 'basic',
    username: dovecot.masterUser.name,
    password: dovecot.masterUser.password,
  });
  const profile = await call<{ id: string }>('POST', `${t}/archiving-profiles`, {
    name: 'Bench IMAP',
    type: 'imap',
    mode: 'multiple',
    credentialsSecretId: secret.id,
    directoryServiceId: directory.id,
    serverName: dovecot.host,
    port: dovecot.ports.imaps,
    protocol: 'imap-ssl',
    ignoreTlsCertificateErrors: true,
    timeoutSeconds: 120,
  });
  const schedule = await call<{ id: string }>('POST', `${t}/archiving-profiles/${profile.id}/schedules`, {
    name: 'Bench',
    timezone: 'UTC',
    recurrence: { type: 'daily', times: ['03:00'] },
  });
  return { tenantId, call, t, scheduleId: schedule.id };
}
