import { createHash } from 'node:crypto';

import { ContractError } from '@mailkeep/contracts';

/** How an app registration proves itself in the client-credentials flow. */
export type AppCredential =
  | { readonly kind: 'client-secret'; readonly clientSecret: string }
  | { readonly kind: 'certificate'; readonly certificatePem: string; readonly privateKeyPem: string };

/** One Entra ID app registration in one directory (tenant), with its credential. */
export interface AppRegistration {
  /** The directory (tenant) id, a GUID, or one of its verified domains. */
  readonly directoryId: string;
  /** The application (client) id, a GUID. */
  readonly clientId: string;
  readonly credential: AppCredential;
}

/** The fields of a resolved `client-secret` or `certificate` secret (the secrets service's reply). */
export interface SecretMaterial {
  readonly type: string;
  readonly clientSecret?: string;
  readonly certificatePem?: string;
  readonly privateKeyPem?: string;
}

/** The credential inside a resolved secret; VALIDATION when the secret is of another type. */
export function credentialFromSecret(secret: SecretMaterial): AppCredential {
  if (secret.type === 'client-secret' && secret.clientSecret) {
    return { kind: 'client-secret', clientSecret: secret.clientSecret };
  }
  if (secret.type === 'certificate' && secret.certificatePem && secret.privateKeyPem) {
    return {
      kind: 'certificate',
      certificatePem: secret.certificatePem,
      privateKeyPem: secret.privateKeyPem,
    };
  }
  throw new ContractError(
    'VALIDATION',
    `Microsoft 365 needs a client-secret or certificate secret, not a ${secret.type} secret`,
    { fields: [{ field: 'secretId', message: 'must reference a client-secret or certificate secret' }] },
  );
}

/** A digest of the credential: tokens are cached per credential, so a wrong secret never reuses a good one's token. */
export function credentialFingerprint(credential: AppCredential): string {
  const material =
    credential.kind === 'client-secret'
      ? `secret\0${credential.clientSecret}`
      : `certificate\0${credential.certificatePem}\0${credential.privateKeyPem}`;
  return createHash('sha256').update(material).digest('base64url');
}
