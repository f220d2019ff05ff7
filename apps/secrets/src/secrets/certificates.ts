import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';

import { ContractError, type FieldError } from '@mailkeep/contracts';
import forge from 'node-forge';

/**
 * X.509 work for `certificate` secrets. Node's crypto parses certificates and keys but cannot
 * issue a certificate or read PKCS#12, so node-forge (pure JS, no native addon) does those two
 * things; everything else is node:crypto. Error messages never carry key material or passwords.
 */

/** SPEC S1: generated keys are RSA of at least 2048 bits; 2048 is what every TLS client accepts. */
export const GENERATED_RSA_BITS = 2048;

/** Attribute short names a subject may use: the ones node-forge maps to OIDs. */
const SUBJECT_ATTRIBUTES = new Set(['CN', 'O', 'OU', 'C', 'ST', 'L', 'E']);

export interface CertificateMaterial {
  readonly certificatePem: string;
  /** Unencrypted PKCS#8 PEM: protected at rest by the envelope, never by a password. */
  readonly privateKeyPem: string;
}

export interface CertificateFacts {
  readonly subject: string;
  /** SHA-1 of the DER certificate, lowercase hex. */
  readonly thumbprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const invalid = (field: string, message: string): ContractError =>
  ContractError.validation([{ field, message }] satisfies FieldError[], `${field}: ${message}`);

/** Parses `CN=x,O=y` into forge attributes; VALIDATION on `generate.subject` otherwise. */
function parseSubject(subject: string): forge.pki.CertificateField[] {
  const attributes = subject.split(',').map((part) => {
    const separator = part.indexOf('=');
    const shortName = part.slice(0, Math.max(separator, 0)).trim().toUpperCase();
    const value = part.slice(separator + 1).trim();
    if (separator < 1 || !SUBJECT_ATTRIBUTES.has(shortName) || value.length === 0) {
      throw invalid(
        'generate.subject',
        `must be comma-separated ATTRIBUTE=value pairs with attributes among ${[...SUBJECT_ATTRIBUTES].join(', ')}, e.g. CN=archive.example.com`,
      );
    }
    return { shortName, value };
  });
  if (!attributes.some((a) => a.shortName === 'CN')) throw invalid('generate.subject', 'must contain a CN');
  return attributes;
}

/** A self-signed RSA certificate (SHA-256) valid from now for `validityDays`. */
export function generateSelfSigned(
  subject: string,
  validityDays: number,
  now = new Date(),
): CertificateMaterial {
  const attributes = parseSubject(subject);
  // node:crypto generates the key pair natively (fast); forge only builds and signs the certificate.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: GENERATED_RSA_BITS });
  const forgePrivate = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  const forgePublic = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forgePublic;
  // A positive 127-bit serial (the high bit clear keeps the DER INTEGER positive), per RFC 5280.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = now;
  certificate.validity.notAfter = new Date(now.getTime() + validityDays * 86_400_000);
  certificate.setSubject(attributes);
  certificate.setIssuer(attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true, serverAuth: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forgePrivate, forge.md.sha256.create());
  return {
    certificatePem: forge.pki.certificateToPem(certificate),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** An imported certificate and key pair; the key may be encrypted with `password`. */
export function importPemPair(
  certificatePem: string,
  privateKeyPem: string,
  password?: string,
): CertificateMaterial {
  const certificate = parseCertificate(certificatePem, 'certificatePem');
  let key: KeyObject;
  try {
    key = createPrivateKey(
      password === undefined ? privateKeyPem : { key: privateKeyPem, passphrase: password },
    );
  } catch {
    throw invalid(
      'privateKeyPem',
      password === undefined
        ? 'is not a PEM private key (or it is encrypted and needs a password)'
        : 'is not a PEM private key, or the password does not decrypt it',
    );
  }
  if (!certificate.checkPrivateKey(key)) throw invalid('privateKeyPem', 'does not match the certificate');
  return {
    certificatePem: certificate.toString(),
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A PKCS#12 archive (base64): its key and the certificate that matches it. */
export function importPkcs12(base64: string, password?: string): CertificateMaterial {
  let asn1: forge.asn1.Asn1;
  try {
    const der = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
    if (der.length === 0) throw new Error('empty');
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  } catch {
    throw invalid('pkcs12', 'is not a base64 PKCS#12 archive');
  }
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password ?? '');
  } catch {
    throw invalid(
      'password',
      password === undefined
        ? 'the PKCS#12 archive is protected by a password: give it in `password`'
        : 'the password does not open the PKCS#12 archive (wrong password or damaged archive)',
    );
  }
  const { pkcs8ShroudedKeyBag, keyBag, certBag } = forge.pki.oids;
  const bagsOf = (bagType: string | undefined): forge.pkcs12.Bag[] =>
    bagType === undefined ? [] : (pfx.getBags({ bagType })[bagType] ?? []);
  const keyBags = [...bagsOf(pkcs8ShroudedKeyBag), ...bagsOf(keyBag)];
  const certBags = bagsOf(certBag);
  const forgeKey = keyBags.find((bag) => bag.key)?.key;
  if (!forgeKey) throw invalid('pkcs12', 'holds no private key (only RSA keys are supported)');
  const key = createPrivateKey(forge.pki.privateKeyToPem(forgeKey));
  const certificates = certBags.flatMap((bag): X509Certificate[] =>
    bag.cert ? [new X509Certificate(forge.pki.certificateToPem(bag.cert))] : [],
  );
  const certificate = certificates.find((c: X509Certificate) => c.checkPrivateKey(key));
  if (!certificate) throw invalid('pkcs12', 'holds no certificate that matches its private key');
  return {
    certificatePem: certificate.toString(),
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function parseCertificate(pem: string, field: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw invalid(field, 'is not a PEM X.509 certificate');
  }
}

/** What is shown of a certificate (SPEC S2): subject, SHA-1 thumbprint, validity. */
export function certificateFacts(certificatePem: string): CertificateFacts {
  const certificate = parseCertificate(certificatePem, 'certificatePem');
  return {
    subject: certificate.subject.split('\n').join(', '),
    thumbprint: createHash('sha1').update(certificate.raw).digest('hex'),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
  };
}

/** Whether `pem` is a private key node:crypto can read (used for service-account keys). */
export function isPrivateKeyPem(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}
