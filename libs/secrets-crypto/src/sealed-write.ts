import { hkdfSync, type KeyObject } from 'node:crypto';

import { ContractError, type SealedSecretWrite, type SecretWriteKey } from '@mailkeep/contracts';

import { type Binding, keyPairFromSeed, open, seal } from './ecies.js';

/**
 * Secret writes sealed to the secrets service (decision 0026): the API seals the body of a
 * create or update to a key the secrets service derives from its master key and the tenant, so
 * the values cross NATS unreadable, and any replica of the service (same master key) opens them.
 */

const WRITE_INFO = 'mailkeep secrets.req.secret write aes-256-gcm';
const DERIVE_INFO = Buffer.from('mailkeep secret write key v1', 'utf8');

/** What a sealed write is for: it opens only on this subject, for this tenant and secret. */
export interface WriteTarget {
  readonly subject: string;
  readonly tenantId: string;
  /** The secret's id for an update; absent for a create. */
  readonly id?: string;
}

/** The secrets service's key pair for a tenant's writes under one master key. */
export interface WriteKeyPair {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: string;
}

/** HKDF-SHA256 of the master key, salted with the tenant id: the same pair on every replica. */
export function deriveWriteKeyPair(master: { id: string; key: Buffer }, tenantId: string): WriteKeyPair {
  const seed = Buffer.from(hkdfSync('sha256', master.key, Buffer.from(tenantId, 'utf8'), DERIVE_INFO, 32));
  return { keyId: master.id, ...keyPairFromSeed(seed) };
}

/** The writer's side: `body` as JSON, sealed to the service's write key for `target`. */
export function sealWrite(key: SecretWriteKey, target: WriteTarget, body: object): SealedSecretWrite {
  return { keyId: key.keyId, ...seal(key.publicKey, bindingOf(target), JSON.stringify(body)) };
}

/** The secrets service's side: the body of a sealed write, parsed; VALIDATION when it does not open. */
export function openWrite(keyPair: WriteKeyPair, sealed: SealedSecretWrite, target: WriteTarget): unknown {
  const json = open(keyPair, sealed, bindingOf(target), (why) =>
    ContractError.validation([{ field: 'sealed', message: `does not open: ${why}` }]),
  );
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw ContractError.validation([{ field: 'sealed', message: 'the opened body is not JSON' }]);
  }
}

function bindingOf(target: WriteTarget): Binding {
  return { info: WRITE_INFO, aad: `${target.subject}\n${target.tenantId}\n${target.id ?? ''}` };
}
