import { ContractError, type FieldError, type SecretType, type SecretValueFields } from '@mailkeep/contracts';

import {
  type CertificateMaterial,
  certificateFacts,
  generateSelfSigned,
  importPemPair,
  importPkcs12,
  isPrivateKeyPem,
} from './certificates.js';

/** The value fields a type accepts (SPEC §5 create bodies); any other value field is an error. */
const FIELDS_BY_TYPE: Record<SecretType, readonly (keyof SecretValueFields)[]> = {
  basic: ['username', 'password'],
  certificate: ['generate', 'certificatePem', 'privateKeyPem', 'pkcs12', 'password'],
  'client-secret': ['clientSecret', 'expiresAt'],
  'google-service-account': ['serviceAccountKey'],
};

const VALUE_FIELDS: readonly (keyof SecretValueFields)[] = [
  'username',
  'password',
  'generate',
  'certificatePem',
  'privateKeyPem',
  'pkcs12',
  'clientSecret',
  'expiresAt',
  'serviceAccountKey',
];

/** The encrypted part of a secret: exactly what is never shown (SPEC S2). */
export interface SensitiveValues {
  password?: string;
  privateKeyPem?: string;
  clientSecret?: string;
  serviceAccountKey?: Record<string, unknown>;
}

/** The shown part, as stored in plain columns. */
export interface PublicValues {
  username?: string | null;
  clientEmail?: string | null;
  certificatePem?: string | null;
  certificateSubject?: string | null;
  certificateThumbprint?: string | null;
  certificateNotBefore?: Date | null;
  expiresAt?: Date | null;
}

/** What a create or update changes; `sensitive` undefined keeps the sealed value as it is. */
export interface ValueChange {
  readonly shown: PublicValues;
  readonly sensitive?: SensitiveValues;
}

const required = (field: string): FieldError => ({ field, message: `${field} is required for this type` });

function given(fields: SecretValueFields): (keyof SecretValueFields)[] {
  return VALUE_FIELDS.filter((field) => fields[field] !== undefined);
}

function rejectForeign(type: SecretType, fields: SecretValueFields): void {
  const allowed = FIELDS_BY_TYPE[type];
  const foreign = given(fields).filter((field) => !allowed.includes(field));
  if (foreign.length > 0) {
    throw ContractError.validation(
      foreign.map((field) => ({ field, message: `${field} is not a field of a ${type} secret` })),
    );
  }
}

/** The values of a new secret, validated for its type. */
export function valuesForCreate(type: SecretType, fields: SecretValueFields): ValueChange {
  rejectForeign(type, fields);
  switch (type) {
    case 'basic': {
      const errors = [
        ...(fields.username === undefined ? [required('username')] : []),
        ...(fields.password === undefined ? [required('password')] : []),
      ];
      if (errors.length > 0) throw ContractError.validation(errors);
      return { shown: { username: fields.username ?? null }, sensitive: { password: fields.password ?? '' } };
    }
    case 'certificate':
      return certificateValues(fields);
    case 'client-secret': {
      if (fields.clientSecret === undefined) throw ContractError.validation([required('clientSecret')]);
      return {
        shown: { expiresAt: fields.expiresAt === undefined ? null : new Date(fields.expiresAt) },
        sensitive: { clientSecret: fields.clientSecret },
      };
    }
    case 'google-service-account':
      if (fields.serviceAccountKey === undefined)
        throw ContractError.validation([required('serviceAccountKey')]);
      return serviceAccountValues(fields.serviceAccountKey);
  }
}

/**
 * What an update overwrites. Only the given fields change; `basic` and `client-secret` fields
 * change one by one, a certificate or a service-account key is replaced as a whole.
 */
export function valuesForUpdate(type: SecretType, fields: SecretValueFields): ValueChange {
  rejectForeign(type, fields);
  if (given(fields).length === 0) return { shown: {} };
  switch (type) {
    case 'basic':
      return {
        shown: fields.username === undefined ? {} : { username: fields.username },
        ...(fields.password !== undefined && { sensitive: { password: fields.password } }),
      };
    case 'client-secret':
      return {
        shown: fields.expiresAt === undefined ? {} : { expiresAt: new Date(fields.expiresAt) },
        ...(fields.clientSecret !== undefined && { sensitive: { clientSecret: fields.clientSecret } }),
      };
    case 'certificate':
    case 'google-service-account':
      return valuesForCreate(type, fields);
  }
}

function certificateValues(fields: SecretValueFields): ValueChange {
  const sources = [
    fields.generate !== undefined && 'generate',
    (fields.certificatePem !== undefined || fields.privateKeyPem !== undefined) && 'certificatePem',
    fields.pkcs12 !== undefined && 'pkcs12',
  ].filter((source): source is string => source !== false);
  if (sources.length !== 1) {
    throw ContractError.validation([
      {
        field: sources[1] ?? 'generate',
        message: 'give exactly one of generate, certificatePem with privateKeyPem, or pkcs12',
      },
    ]);
  }
  let material: CertificateMaterial;
  if (fields.generate !== undefined) {
    if (fields.password !== undefined)
      throw ContractError.validation([{ field: 'password', message: 'password is not used with generate' }]);
    material = generateSelfSigned(fields.generate.subject, fields.generate.validityDays);
  } else if (fields.pkcs12 !== undefined) {
    material = importPkcs12(fields.pkcs12, fields.password);
  } else {
    const errors = [
      ...(fields.certificatePem === undefined ? [required('certificatePem')] : []),
      ...(fields.privateKeyPem === undefined ? [required('privateKeyPem')] : []),
    ];
    if (errors.length > 0) throw ContractError.validation(errors);
    material = importPemPair(fields.certificatePem ?? '', fields.privateKeyPem ?? '', fields.password);
  }
  const facts = certificateFacts(material.certificatePem);
  return {
    shown: {
      certificatePem: material.certificatePem,
      certificateSubject: facts.subject,
      certificateThumbprint: facts.thumbprint,
      certificateNotBefore: facts.notBefore,
      expiresAt: facts.notAfter,
    },
    sensitive: { privateKeyPem: material.privateKeyPem },
  };
}

/** A pragmatic address check: one @, no spaces; Google issues `<name>@<project>.iam.gserviceaccount.com`. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Validates the JSON key of a Google service account; errors name `serviceAccountKey.<field>`. */
function serviceAccountValues(key: Record<string, unknown>): ValueChange {
  const errors: FieldError[] = [];
  const field = (name: string, message: string) =>
    errors.push({ field: `serviceAccountKey.${name}`, message: `serviceAccountKey.${name} ${message}` });
  if (key.type !== 'service_account') field('type', 'must be "service_account"');
  if (typeof key.client_email !== 'string' || !EMAIL.test(key.client_email))
    field('client_email', 'must be an email address');
  if (typeof key.private_key !== 'string' || !isPrivateKeyPem(key.private_key))
    field('private_key', 'must be a PEM private key');
  if (typeof key.token_uri !== 'string' || !isHttpsUrl(key.token_uri))
    field('token_uri', 'must be an https URL');
  if (errors.length > 0) throw ContractError.validation(errors, 'The service-account key is invalid');
  return { shown: { clientEmail: key.client_email as string }, sensitive: { serviceAccountKey: key } };
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
