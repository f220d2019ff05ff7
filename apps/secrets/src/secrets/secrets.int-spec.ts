import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { connect } from '@nats-io/transport-node';
import {
  type ContractError,
  DIRECTORY_REFERENCES_FIND_V1,
  PROFILES_REFERENCES_FIND_V1,
  type ResolvedSecret,
  SECRET_CREATE_V2,
  SECRET_UPDATE_V2,
  SECRET_WRITE_KEY_V1,
  SECRET_DELETE_V1,
  SECRET_DESCRIBE_V1,
  SECRET_GET_V1,
  SECRET_RESOLVE_V2,
  type SecretView,
} from '@mailkeep/contracts';
import { type MessageBus } from '@mailkeep/messaging';
import { createSecret, findSecret, resolveSecret, sealWrite, updateSecret } from '@mailkeep/secrets-crypto';
import { createDataSource } from '@mailkeep/persistence';
import {
  type PrivateNatsServer,
  type ServiceHarness,
  startServiceHarness,
  type TestDatabase,
  waitFor,
} from '@mailkeep/testing';
import forge from 'node-forge';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { masterKey, MasterKeyRing } from '../crypto/master-key-ring.js';
import { SECRETS_SCHEMA } from '../database/secrets-schema.js';
import { rotateMasterKey } from '../rotation/master-key-rotation.js';
import { SecretsEnv } from '../secrets.env.js';
import { SecretsModule } from './secrets.module.js';
import { SecretsRepository } from './secrets.repository.js';

/**
 * The secrets service as it runs (runService, real PostgreSQL, a NATS server of its own so that
 * no other test file's secrets service can answer these subjects), driven over the bus.
 */

const keyOld = randomBytes(32);
const keyNew = randomBytes(32);
const tenantId = '3f0c1a52-6a1e-4f0b-9a61-1c2d3e4f5a6b';
const otherTenantId = '7b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

let harness: ServiceHarness;
let database: TestDatabase;
let nats: PrivateNatsServer;
let bus: MessageBus;

/** (Re)starts the service with these master keys, as an operator's deployment would. */
async function startSecretsService(current: Buffer, previous: Buffer[] = []): Promise<void> {
  process.env.MAILKEEP_MASTER_KEY = current.toString('base64');
  if (previous.length > 0)
    process.env.MAILKEEP_MASTER_KEY_PREVIOUS = previous.map((k) => k.toString('base64')).join(',');
  else delete process.env.MAILKEEP_MASTER_KEY_PREVIOUS;
  await harness.startService({
    name: 'secrets',
    env: SecretsEnv,
    schema: SECRETS_SCHEMA,
    module: (context) => SecretsModule.forRoot(context),
  });
}

function pemPair(commonName: string): { certificatePem: string; privateKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  certificate.serialNumber = '01';
  certificate.validity.notBefore = new Date();
  certificate.validity.notAfter = new Date(Date.now() + 10 * 86_400_000);
  certificate.setSubject([{ shortName: 'CN', value: commonName }]);
  certificate.setIssuer([{ shortName: 'CN', value: commonName }]);
  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  certificate.sign(forgeKey, forge.md.sha256.create());
  return {
    certificatePem: forge.pki.certificateToPem(certificate),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function pkcs12Of(pair: { certificatePem: string; privateKeyPem: string }, password: string): string {
  const p12 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(pair.privateKeyPem),
    [forge.pki.certificateFromPem(pair.certificatePem)],
    password,
    { algorithm: '3des' },
  );
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary').toString('base64');
}

/** The body of a PEM key: what would leak if the key were stored in clear. */
const pemBody = (pem: string): string => pem.split('\n').slice(1, 3).join('');

beforeAll(async () => {
  // `blobs` for the data directory the service (and the rotation command) is given.
  harness = await startServiceHarness({ name: 'secrets', database: true, blobs: true, logLevel: 'warn' });
  ({ database, nats, bus } = harness);
  await startSecretsService(keyOld);
});

afterAll(() => harness?.close());

/** Any local client of `npm start`'s NATS (no users) can subscribe to every subject: one that does. */
async function sniffEverything() {
  const sniffer = await connect({ servers: nats.url });
  const seen: { subject: string; data: string }[] = [];
  sniffer.subscribe('>', {
    callback: (_error, msg) => {
      seen.push({ subject: msg.subject, data: msg.string() });
    },
  });
  await sniffer.flush();
  return { sniffer, seen };
}

describe('secrets service', () => {
  const created: { view: SecretView; plaintexts: string[]; expected: Partial<ResolvedSecret> }[] = [];
  const saKey = {
    type: 'service_account',
    project_id: 'acme-archive',
    private_key_id: 'abc123',
    private_key: generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    client_email: 'archiver@acme-archive.iam.gserviceaccount.com',
    client_id: '1234567890',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  const imported = pemPair('imported.example.com');
  const fromP12 = pemPair('p12.example.com');

  it('round-trips every type through resolve, showing no sensitive value', async () => {
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const clientSecret = `cs-${randomBytes(16).toString('hex')}`;
    const p12Password = `p12-${randomBytes(8).toString('hex')}`;
    const cases = [
      {
        body: { name: 'Basic', type: 'basic', username: 'archiver', password },
        plaintexts: [password],
        expected: { username: 'archiver', password },
      },
      {
        body: {
          name: 'Generated',
          type: 'certificate',
          generate: { subject: 'CN=gen.example.com,O=Acme', validityDays: 20 },
        },
        plaintexts: [],
        expected: {},
      },
      {
        body: { name: 'Imported PEM', type: 'certificate', ...imported },
        plaintexts: [pemBody(imported.privateKeyPem)],
        expected: { certificatePem: new X509Certificate(imported.certificatePem).toString() },
      },
      {
        body: {
          name: 'Imported P12',
          type: 'certificate',
          pkcs12: pkcs12Of(fromP12, p12Password),
          password: p12Password,
        },
        plaintexts: [pemBody(fromP12.privateKeyPem), p12Password],
        expected: {},
      },
      {
        body: { name: 'Client', type: 'client-secret', clientSecret, expiresAt: '2030-01-01T00:00:00.000Z' },
        plaintexts: [clientSecret],
        expected: { clientSecret, expiresAt: '2030-01-01T00:00:00.000Z' },
      },
      {
        body: { name: 'Google', type: 'google-service-account', serviceAccountKey: saKey },
        plaintexts: [pemBody(saKey.private_key)],
        expected: { serviceAccountKey: saKey },
      },
    ] as const;
    for (const c of cases) {
      const view = await createSecret(bus, tenantId, c.body);
      for (const plaintext of c.plaintexts) expect(JSON.stringify(view)).not.toContain(plaintext);
      created.push({ view, plaintexts: [...c.plaintexts], expected: c.expected });
      const resolved = await resolveSecret(bus, { tenantId, id: view.id });
      expect(resolved).toMatchObject({ id: view.id, type: c.body.type, ...c.expected });
    }
    const [, generated, pem, p12] = created;
    const resolvedGenerated = await resolveSecret(bus, {
      tenantId,
      id: generated?.view.id ?? '',
    });
    const certificate = new X509Certificate(resolvedGenerated.certificatePem ?? '');
    expect(
      certificate.checkPrivateKey(
        await import('node:crypto').then((c) => c.createPrivateKey(resolvedGenerated.privateKeyPem ?? '')),
      ),
    ).toBe(true);
    expect(generated?.view).toMatchObject({
      expiresSoon: true,
      certificate: { subject: 'CN=gen.example.com, O=Acme' },
    });
    expect(certificate.fingerprint.replaceAll(':', '').toLowerCase()).toBe(
      generated?.view.certificate?.thumbprint,
    );
    expect(pem?.view.certificate?.subject).toBe('CN=imported.example.com');
    const resolvedP12 = await resolveSecret(bus, { tenantId, id: p12?.view.id ?? '' });
    expect(new X509Certificate(resolvedP12.certificatePem ?? '').subject).toBe('CN=p12.example.com');
    expect(await bus.request(SECRET_DESCRIBE_V1, { tenantId, id: p12?.view.id ?? '' })).toEqual({
      id: p12?.view.id,
      name: 'Imported P12',
      type: 'certificate',
    });
    await expect(
      bus.request(SECRET_DESCRIBE_V1, { tenantId: otherTenantId, id: p12?.view.id ?? '' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      resolveSecret(bus, { tenantId: otherTenantId, id: p12?.view.id ?? '' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // findSecret: the same miss is undefined, and a hit opens like resolveSecret.
    expect(await findSecret(bus, { tenantId: otherTenantId, id: p12?.view.id ?? '' })).toBeUndefined();
    expect(await findSecret(bus, { tenantId, id: p12?.view.id ?? '' })).toEqual(resolvedP12);
  });

  it('lets a raw subscriber of an unauthenticated NATS read no resolve reply (issue 17 item 9)', async () => {
    const { sniffer, seen } = await sniffEverything();
    try {
      for (const c of created) {
        expect(await resolveSecret(bus, { tenantId, id: c.view.id })).toMatchObject(c.expected);
      }
      await sniffer.flush();
      const replies = seen.filter((m) => m.subject.startsWith('_INBOX.') && m.data.includes('"senderKey"'));
      // The sniffer did hear every request and every reply …
      expect(seen.filter((m) => m.subject === SECRET_RESOLVE_V2.subject)).toHaveLength(created.length);
      expect(replies).toHaveLength(created.length);
      // … and none of them carries a value.
      const plaintexts = created.flatMap((c) => c.plaintexts);
      expect(plaintexts.length).toBeGreaterThan(3);
      expect(seen.filter((m) => plaintexts.some((p) => m.data.includes(p))).map((m) => m.subject)).toEqual(
        [],
      );
    } finally {
      await sniffer.close();
    }
  });

  it('lets a raw subscriber read no value of a secret being saved, and opens a write only for what it was sealed for (decision 0026)', async () => {
    const { sniffer, seen } = await sniffEverything();
    const [first, second] = ['Sealed-create-5d1e9a', 'Sealed-update-c07b42'];
    try {
      const view = await createSecret(bus, tenantId, {
        name: 'Sealed',
        type: 'basic',
        username: 'u',
        password: first,
      });
      await updateSecret(bus, tenantId, view.id, { password: second });
      created.push({ view, plaintexts: [first, second], expected: { password: second } });
      expect(await resolveSecret(bus, { tenantId, id: view.id })).toMatchObject({ password: second });
      await sniffer.flush();
      // The sniffer heard the write key asked for and both sealed writes, and no value in any of them.
      const subjects = seen.map((m) => m.subject);
      expect(subjects).toEqual(
        expect.arrayContaining([
          SECRET_WRITE_KEY_V1.subject,
          SECRET_CREATE_V2.subject,
          SECRET_UPDATE_V2.subject,
        ]),
      );
      expect(
        seen.filter((m) => m.data.includes(first) || m.data.includes(second)).map((m) => m.subject),
      ).toEqual([]);

      // A sealed write replayed for another tenant, another secret or another subject does not open.
      const key = await bus.request(SECRET_WRITE_KEY_V1, { tenantId });
      const sealed = sealWrite(
        key,
        { subject: SECRET_UPDATE_V2.subject, tenantId, id: view.id },
        { password: 'x' },
      );
      const refusal = (promise: Promise<unknown>) =>
        promise.then(
          () => 'accepted',
          (error: ContractError) => `${error.code} ${error.fields?.map((f) => f.field).join(',')}`,
        );
      expect(
        await refusal(bus.request(SECRET_UPDATE_V2, { tenantId: otherTenantId, id: view.id, sealed })),
      ).toBe('VALIDATION sealed');
      expect(
        await refusal(bus.request(SECRET_UPDATE_V2, { tenantId, id: created[0]?.view.id ?? '', sealed })),
      ).toBe('VALIDATION sealed');
      expect(await refusal(bus.request(SECRET_CREATE_V2, { tenantId, sealed }))).toBe('VALIDATION sealed');
      // Each tenant has its own key; the opened body is validated as the plaintext request it holds.
      expect((await bus.request(SECRET_WRITE_KEY_V1, { tenantId: otherTenantId })).publicKey).not.toBe(
        key.publicKey,
      );
      const badBody = sealWrite(
        key,
        { subject: SECRET_CREATE_V2.subject, tenantId },
        { name: 'Typo', type: 'basic', pasword: 'p' },
      );
      expect(await refusal(bus.request(SECRET_CREATE_V2, { tenantId, sealed: badBody }))).toBe(
        'VALIDATION pasword',
      );
      expect(await resolveSecret(bus, { tenantId, id: view.id })).toMatchObject({ password: second });
    } finally {
      await sniffer.close();
    }
  });

  it('stores no plaintext: the raw rows hold none of the sensitive values', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<Record<string, unknown>>('SELECT * FROM secrets.secret');
      expect(rows).toHaveLength(created.length);
      const raw = Buffer.concat(
        rows.flatMap((row) =>
          Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v)))),
        ),
      );
      const plaintexts = created.flatMap((c) => c.plaintexts);
      expect(plaintexts.length).toBeGreaterThan(4);
      for (const plaintext of plaintexts) {
        expect(raw.includes(Buffer.from(plaintext))).toBe(false);
        expect(raw.toString('latin1')).not.toContain(Buffer.from(plaintext).toString('base64'));
        expect(raw.toString('hex')).not.toContain(Buffer.from(plaintext).toString('hex'));
      }
    } finally {
      await client.end();
    }
  });

  it('detects ciphertexts swapped between rows and a flipped byte', async () => {
    const [a, b] = [created[0]?.view.id ?? '', created[4]?.view.id ?? ''];
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const envelope = `key_id, wrapped_key, iv, tag, ciphertext`;
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT id, ${envelope} FROM secrets.secret WHERE id = ANY($1)`,
        [[a, b]],
      );
      const rowA = rows.find((r) => r.id === a);
      const rowB = rows.find((r) => r.id === b);
      const put = (id: string, row: Record<string, unknown> | undefined) =>
        client.query(
          `UPDATE secrets.secret SET key_id = $2, wrapped_key = $3, iv = $4, tag = $5, ciphertext = $6 WHERE id = $1`,
          [id, row?.key_id, row?.wrapped_key, row?.iv, row?.tag, row?.ciphertext],
        );
      await put(a, rowB);
      await put(b, rowA);
      await expect(resolveSecret(bus, { tenantId, id: a })).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      await expect(resolveSecret(bus, { tenantId, id: b })).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      await put(a, rowA);
      await put(b, rowB);
      expect((await resolveSecret(bus, { tenantId, id: a })).password).toBe(created[0]?.expected.password);

      for (const column of ['ciphertext', 'tag', 'iv', 'wrapped_key']) {
        const flipped = Buffer.from(rowA?.[column] as Buffer);
        flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0x01;
        await client.query(`UPDATE secrets.secret SET ${column} = $2 WHERE id = $1`, [a, flipped]);
        await expect(resolveSecret(bus, { tenantId, id: a })).rejects.toMatchObject({
          code: 'INTERNAL',
        });
        await put(a, rowA);
      }
      expect((await resolveSecret(bus, { tenantId, id: a })).password).toBe(created[0]?.expected.password);
    } finally {
      await client.end();
    }
  });

  it('refuses to delete a secret in use (naming the users) or when a referencing service is absent', async () => {
    const id = created[0]?.view.id ?? '';
    const directory = bus.serve(DIRECTORY_REFERENCES_FIND_V1, () => Promise.resolve({ references: [] }), {
      queue: 'fake-directory',
    });
    try {
      // Profiles does not answer: deletion cannot know, so it refuses.
      await expect(bus.request(SECRET_DELETE_V1, { tenantId, id })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
      const profiles = bus.serve(
        PROFILES_REFERENCES_FIND_V1,
        (request) =>
          Promise.resolve({
            references:
              request.kind === 'secret' && request.id === id
                ? [
                    {
                      kind: 'archiving-profile',
                      id: 'd2a7c8e0-1111-4222-8333-444455556666',
                      name: 'Sales IMAP',
                    },
                  ]
                : [],
          }),
        { queue: 'fake-profiles' },
      );
      try {
        const refused = (await bus
          .request(SECRET_DELETE_V1, { tenantId, id })
          .catch((e: unknown) => e)) as ContractError;
        expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'in_use' });
        expect(refused.message).toContain('Sales IMAP');
        expect(refused.references).toEqual([
          { kind: 'archiving-profile', id: 'd2a7c8e0-1111-4222-8333-444455556666', name: 'Sales IMAP' },
        ]);
        expect((await bus.request(SECRET_GET_V1, { tenantId, id })).usedBy).toHaveLength(1);
        // An unused one goes.
        const unused = created[5]?.view.id ?? '';
        expect(await bus.request(SECRET_DELETE_V1, { tenantId, id: unused })).toEqual({ id: unused });
        await expect(bus.request(SECRET_GET_V1, { tenantId, id: unused })).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        created.splice(5, 1);
      } finally {
        profiles.unsubscribe();
      }
    } finally {
      directory.unsubscribe();
    }
  });

  it('rotates the master key in batches while resolve keeps working, during and after', async () => {
    for (let i = 0; i < 20; i++) {
      const view = await createSecret(bus, i % 2 ? tenantId : otherTenantId, {
        name: `Bulk ${i}`,
        type: 'client-secret',
        clientSecret: `bulk-secret-${i}`,
      });
      created.push({ view, plaintexts: [], expected: { clientSecret: `bulk-secret-${i}` } });
    }
    // A write sealed to the old key's write key just before the restart still opens after it.
    const sealedBeforeRotation = sealWrite(
      await bus.request(SECRET_WRITE_KEY_V1, { tenantId }),
      { subject: SECRET_CREATE_V2.subject, tenantId },
      { name: 'In flight', type: 'client-secret', clientSecret: 'in-flight-secret' },
    );
    // Deployment order: every instance learns the new key (old one kept as previous), then rotate.
    await startSecretsService(keyNew, [keyOld]);
    const inFlight = await bus.request(SECRET_CREATE_V2, { tenantId, sealed: sealedBeforeRotation });
    const ring = MasterKeyRing.fromKeys(keyNew, [keyOld]);
    const dataSource = createDataSource({ url: database.url, ...SECRETS_SCHEMA });
    await dataSource.initialize();
    const ownerOf = (c: (typeof created)[number]) =>
      c.view.name.startsWith('Bulk') && Number(c.view.name.slice(5)) % 2 === 0 ? otherTenantId : tenantId;
    // Half-way through (some rows on the new key, some on the old), every secret must resolve.
    let halfway = { rowsRewrapped: 0, resolved: 0 };
    class HalfwayCheck extends SecretsRepository {
      override async rewrapRow(...args: Parameters<SecretsRepository['rewrapRow']>): Promise<boolean> {
        const changed = await super.rewrapRow(...args);
        if (changed && ++halfway.rowsRewrapped === 10) {
          for (const c of created) {
            const r = await resolveSecret(bus, { tenantId: ownerOf(c), id: c.view.id });
            expect(r).toMatchObject(c.expected);
            halfway = { ...halfway, resolved: halfway.resolved + 1 };
          }
        }
        return changed;
      }
    }
    let stop = false;
    let resolvedDuring = 0;
    const failures: unknown[] = [];
    const resolver = (async () => {
      while (!stop) {
        for (const c of created) {
          await resolveSecret(bus, { tenantId: ownerOf(c), id: c.view.id })
            .then((r) => {
              expect(r).toMatchObject(c.expected);
              resolvedDuring++;
            })
            .catch((e: unknown) => failures.push(e));
        }
      }
    })();
    try {
      // Small batches (7) so that several batch boundaries are crossed.
      const result = await rotateMasterKey(new HalfwayCheck(dataSource), ring, undefined, 7);
      expect(result.rewrapped).toBe(created.length);
      expect(halfway).toEqual({ rowsRewrapped: created.length, resolved: created.length });
      await waitFor(() => resolvedDuring > created.length, {
        timeoutMs: 20_000,
        description: 'resolves during rotation',
      });
    } finally {
      stop = true;
      await resolver;
    }
    expect(failures).toEqual([]);
    // Created under the new key already, it had nothing to rewrap; from here on it counts like the rest.
    created.push({ view: inFlight, plaintexts: [], expected: { clientSecret: 'in-flight-secret' } });
    const keyIds: { key_id: string }[] = await dataSource.query(`SELECT DISTINCT key_id FROM secrets.secret`);
    await dataSource.destroy();
    expect(keyIds).toEqual([{ key_id: masterKey(keyNew).id }]);

    // The old key is gone from the configuration: everything still resolves; a write sealed to
    // the old key's write key is refused, naming the key, and creates nothing.
    await startSecretsService(keyNew);
    await expect(
      bus.request(SECRET_CREATE_V2, {
        tenantId,
        sealed: sealedBeforeRotation,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', fields: [{ field: 'sealed.keyId' }] });
    for (const c of created) {
      expect(await resolveSecret(bus, { tenantId: ownerOf(c), id: c.view.id })).toMatchObject(c.expected);
    }
  });
  it('rotates with the built command `main.js rotate-master-key` beside the running service', async () => {
    const entry = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
    if (!existsSync(entry)) throw new Error('Build first (npm run build): this test runs the built command');
    // Back from keyNew to keyOld: the service knows both, the command wraps with keyOld.
    await startSecretsService(keyOld, [keyNew]);
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      let text = '';
      const child = spawn(process.execPath, [entry, 'rotate-master-key'], {
        env: {
          PATH: process.env.PATH,
          MAILKEEP_DATABASE_URL: database.url,
          MAILKEEP_NATS_URL: nats.url,
          MAILKEEP_DATA_DIR: process.env.MAILKEEP_DATA_DIR,
          MAILKEEP_MASTER_KEY: keyOld.toString('base64'),
          MAILKEEP_MASTER_KEY_PREVIOUS: keyNew.toString('base64'),
        },
      });
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.once('exit', (exitCode) => resolve({ code: exitCode, output: text }));
    });
    expect(code, output).toBe(0);
    expect(output).toContain(`"rewrapped":${created.length}`);
    for (const secret of [keyOld, keyNew]) expect(output).not.toContain(secret.toString('base64'));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ key_id: string }>('SELECT DISTINCT key_id FROM secrets.secret');
    await client.end();
    expect(rows).toEqual([{ key_id: masterKey(keyOld).id }]);
    const c = created[1];
    if (c) expect(await resolveSecret(bus, { tenantId, id: c.view.id })).toMatchObject(c.expected);
  });
});
