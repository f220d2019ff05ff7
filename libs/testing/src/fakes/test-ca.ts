import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import forge from 'node-forge';

/**
 * A throw-away certificate authority for the HTTPS fakes (Graph today; Gmail and EWS later) and a
 * server certificate it issued for `127.0.0.1` / `localhost`. Clients trust it the way production
 * clients trust a real CA: `NODE_EXTRA_CA_CERTS=<caPath>` in the environment of the process (read
 * once at its start), never by switching verification off.
 *
 * The files are stable per machine user: every test process (vitest's forks, the platform's child
 * processes, benchmark workers) must trust the *same* CA, and the vitest globalSetup sets the env
 * before the forks start. Created once, atomically (a temp directory renamed into place), so
 * parallel processes agree on one CA.
 */
export interface TestCertificateAuthority {
  /** PEM file of the CA certificate: the value for `NODE_EXTRA_CA_CERTS`. */
  readonly caPath: string;
  readonly caCertificatePem: string;
  /** The server certificate (SAN 127.0.0.1, ::1, localhost) and its PKCS#8 key, for `https.createServer`. */
  readonly serverCertificatePem: string;
  readonly serverKeyPem: string;
}

/** Bumped when the layout changes so an old directory is never half-understood. */
const LAYOUT_VERSION = 1;
/** Ten years: the files outlive any test run; a fresh checkout regenerates nothing. */
const VALIDITY_DAYS = 3650;
/** One hour of back-dating absorbs clock skew between the machine and a container. */
const BACKDATE_MS = 3_600_000;

function caDirectory(): string {
  const user = process.getuid?.() ?? 'user';
  return join(tmpdir(), `mailkeep-test-ca-v${LAYOUT_VERSION}-${user}`);
}

/** The machine's test CA, created on first use. */
export function testCertificateAuthority(): TestCertificateAuthority {
  const directory = caDirectory();
  const existing = readAuthority(directory);
  if (existing) return existing;
  mkdirSync(tmpdir(), { recursive: true });
  const staging = mkdtempSync(`${directory}.staging-`);
  writeAuthority(staging);
  try {
    renameSync(staging, directory);
  } catch {
    // Another process won the race (or an expired directory is in the way): use what is there.
    rmSync(staging, { recursive: true, force: true });
  }
  const created = readAuthority(directory);
  if (!created) throw new Error(`test CA in ${directory} is unreadable or expired; delete the directory`);
  return created;
}

function readAuthority(directory: string): TestCertificateAuthority | undefined {
  try {
    const caPath = join(directory, 'ca.pem');
    const caCertificatePem = readFileSync(caPath, 'utf8');
    const serverCertificatePem = readFileSync(join(directory, 'server.pem'), 'utf8');
    const serverKeyPem = readFileSync(join(directory, 'server-key.pem'), 'utf8');
    // A day of margin: a run that starts just before expiry must not fail half-way.
    if (new Date(new X509Certificate(serverCertificatePem).validTo).getTime() < Date.now() + 86_400_000) {
      return undefined;
    }
    return { caPath, caCertificatePem, serverCertificatePem, serverKeyPem };
  } catch {
    return undefined;
  }
}

function writeAuthority(directory: string): void {
  const ca = issueCertificate({ subject: 'Mailkeep test CA', isCa: true });
  const server = issueCertificate({ subject: '127.0.0.1', isCa: false, issuer: ca });
  writeFileSync(join(directory, 'ca.pem'), ca.certificatePem);
  writeFileSync(join(directory, 'server.pem'), server.certificatePem);
  writeFileSync(join(directory, 'server-key.pem'), server.privateKeyPem, { mode: 0o600 });
}

export interface TestCertificate {
  readonly certificatePem: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
}

interface IssueOptions {
  readonly subject: string;
  readonly isCa: boolean;
  /** Signs with this CA; self-signed when absent. */
  readonly issuer?: TestCertificate;
}

function issueCertificate(options: IssueOptions): TestCertificate {
  // node:crypto makes the key natively (fast); node-forge only builds and signs the certificate,
  // which node:crypto cannot do.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // positive DER INTEGER (RFC 5280)
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = new Date(Date.now() - BACKDATE_MS);
  certificate.validity.notAfter = new Date(Date.now() + VALIDITY_DAYS * 86_400_000);
  const subject = [{ shortName: 'CN', value: options.subject }];
  certificate.setSubject(subject);
  const issuerCertificate = options.issuer
    ? forge.pki.certificateFromPem(options.issuer.certificatePem)
    : undefined;
  certificate.setIssuer(issuerCertificate ? issuerCertificate.subject.attributes : subject);
  certificate.setExtensions(
    options.isCa
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
          { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
          {
            name: 'subjectAltName',
            altNames: [
              { type: 7, ip: '127.0.0.1' },
              { type: 7, ip: '::1' },
              { type: 2, value: 'localhost' },
            ],
          },
        ],
  );
  const signingKeyPem =
    options.issuer?.privateKeyPem ?? privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  certificate.sign(forge.pki.privateKeyFromPem(signingKeyPem), forge.md.sha256.create());
  return {
    certificatePem: forge.pki.certificateToPem(certificate),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * A self-signed certificate for an application registration (what an admin uploads to Entra ID),
 * with its thumbprints as Entra computes them.
 */
export function generateApplicationCertificate(
  subject = 'CN=mailkeep-archiver',
): TestCertificate & { readonly sha256Thumbprint: string; readonly sha1Thumbprint: string } {
  const material = issueCertificate({ subject: subject.replace(/^CN=/, ''), isCa: false });
  const der = new X509Certificate(material.certificatePem).raw;
  return {
    ...material,
    sha256Thumbprint: createHash('sha256').update(der).digest('base64url'),
    sha1Thumbprint: createHash('sha1').update(der).digest('base64url'),
  };
}
