import { createHash, createPrivateKey } from 'node:crypto';

import { ContractError } from '@mailkeep/contracts';

/** The parts of a service account's JSON key that signing needs (Google's own field names in comments). */
export interface ServiceAccountKey {
  /** `client_email`: the assertion's `iss`, e.g. `archiver@project.iam.gserviceaccount.com`. */
  readonly clientEmail: string;
  /** `private_key`: the RSA key, PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** `private_key_id`: sent as the JWT `kid` so Google picks the right public key. */
  readonly privateKeyId?: string;
  /** `client_id`: the numeric id an admin grants domain-wide delegation to. */
  readonly clientId?: string;
  readonly projectId?: string;
}

/** The fields of a resolved `google-service-account` secret (the secrets service's reply). */
export interface ServiceAccountSecret {
  readonly type: string;
  readonly serviceAccountKey?: Readonly<Record<string, unknown>>;
}

const invalidKey = (message: string): ContractError =>
  ContractError.validation(
    [{ field: 'secretId', message }],
    `The service-account key cannot be used: ${message}`,
  );

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * Reads the JSON key Google's console downloads (`"type": "service_account"`). VALIDATION, naming
 * `secretId`, for another secret type, another key type (an OAuth client, an external account) or
 * a private key Node cannot read.
 */
export function serviceAccountKeyFromSecret(secret: ServiceAccountSecret): ServiceAccountKey {
  if (secret.type !== 'google-service-account' || !secret.serviceAccountKey) {
    throw invalidKey(`Google Workspace needs a google-service-account secret, not a ${secret.type} secret`);
  }
  return parseServiceAccountKey(secret.serviceAccountKey);
}

export function parseServiceAccountKey(json: Readonly<Record<string, unknown>>): ServiceAccountKey {
  if (json['type'] !== 'service_account') {
    throw invalidKey(
      `the JSON key is of type ${JSON.stringify(json['type'] ?? null)}; create a key of a service account (type "service_account")`,
    );
  }
  const clientEmail = optionalString(json['client_email']);
  if (!clientEmail?.includes('@')) throw invalidKey('the JSON key has no client_email');
  const privateKeyPem = typeof json['private_key'] === 'string' ? json['private_key'] : '';
  try {
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw invalidKey('the JSON key has no readable RSA private_key');
  }
  const privateKeyId = optionalString(json['private_key_id']);
  const clientId = optionalString(json['client_id']);
  const projectId = optionalString(json['project_id']);
  return {
    clientEmail,
    privateKeyPem,
    ...(privateKeyId && { privateKeyId }),
    ...(clientId && { clientId }),
    ...(projectId && { projectId }),
  };
}

/** A digest of the key: tokens are cached per key, so a replaced key never reuses the old one's token. */
export function serviceAccountFingerprint(key: ServiceAccountKey): string {
  return createHash('sha256').update(`${key.clientEmail}\0${key.privateKeyPem}`).digest('base64url');
}
