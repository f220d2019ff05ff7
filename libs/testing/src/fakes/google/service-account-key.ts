import { generateKeyPairSync, randomBytes } from 'node:crypto';

import { numericId } from './state.js';

/** A service-account JSON key as Google's console downloads it, and the public half the fake checks with. */
export interface GeneratedServiceAccountKey {
  /** The JSON key (`type: service_account`, `private_key`, `client_email`…): a secret's `serviceAccountKey`. */
  readonly json: Record<string, string>;
  readonly clientEmail: string;
  readonly clientId: string;
  readonly privateKeyId: string;
  readonly publicKeyPem: string;
}

export interface GenerateServiceAccountKeyOptions {
  /** Default `mailkeep-archive`. */
  readonly accountName?: string;
  /** Default `mailkeep-test-<random>`. */
  readonly projectId?: string;
  /** Reuse a client id (a second key of the same account). */
  readonly clientId?: string;
}

/** A fresh RSA-2048 key (what Google issues) in Google's JSON key layout. */
export function generateServiceAccountKey(
  options: GenerateServiceAccountKeyOptions = {},
): GeneratedServiceAccountKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const projectId = options.projectId ?? `mailkeep-test-${randomBytes(3).toString('hex')}`;
  const clientEmail = `${options.accountName ?? 'mailkeep-archive'}@${projectId}.iam.gserviceaccount.com`;
  const clientId = options.clientId ?? numericId(21);
  const privateKeyId = randomBytes(20).toString('hex');
  return {
    json: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: privateKeyId,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: clientEmail,
      client_id: clientId,
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
      universe_domain: 'googleapis.com',
    },
    clientEmail,
    clientId,
    privateKeyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
