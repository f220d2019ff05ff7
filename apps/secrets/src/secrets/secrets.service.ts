import { randomUUID } from 'node:crypto';

import {
  ContractError,
  type SecretCreateBody,
  type SecretDescribeReply,
  type SecretListRequest,
  type ObjectReference,
  type ResolvedSecret,
  type SecretCertificateReply,
  type SecretPage,
  type SecretRef,
  type SecretView,
  type SecretValueFields,
  type SecretUpdateBody,
} from '@mailkeep/contracts';
import type { Logger } from '@mailkeep/observability';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '@mailkeep/persistence';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { Inject, Injectable } from '@nestjs/common';

import { EnvelopeError, open, seal } from '../crypto/envelope.js';
import { MasterKeyRing } from '../crypto/master-key-ring.js';
import type { SecretEntity } from './secret.entity.js';
import {
  type PublicValues,
  type SensitiveValues,
  valuesForCreate,
  valuesForUpdate,
} from './secret-values.js';
import { SecretReferences } from './secrets.ports.js';
import { SecretsRepository } from './secrets.repository.js';

/** SPEC S8: certificates and client secrets expiring within 30 days are flagged. */
export const EXPIRES_SOON_DAYS = 30;
const DAY_MS = 86_400_000;

const notFound = (): ContractError => new ContractError('NOT_FOUND', 'No such secret');

function valueFields(request: SecretValueFields): SecretValueFields {
  const {
    username,
    password,
    generate,
    certificatePem,
    privateKeyPem,
    pkcs12,
    clientSecret,
    expiresAt,
    serviceAccountKey,
  } = request;
  return {
    username,
    password,
    generate,
    certificatePem,
    privateKeyPem,
    pkcs12,
    clientSecret,
    expiresAt,
    serviceAccountKey,
  };
}

/** The secrets' logic: validation per type, envelope encryption, guarded delete (SPEC S1–S8). */
@Injectable()
export class SecretsService {
  private readonly logger: Logger;

  constructor(
    private readonly repository: SecretsRepository,
    private readonly ring: MasterKeyRing,
    private readonly references: SecretReferences,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
  }

  async create(request: SecretCreateBody): Promise<SecretView> {
    const values = valuesForCreate(request.type, valueFields(request));
    const id = randomUUID();
    const now = new Date();
    const name = validName(request.name);
    const sealed = seal(this.ring, values.sensitive ?? {}, { tenantId: request.tenantId, secretId: id });
    const row = {
      id,
      tenantId: request.tenantId,
      name,
      nameKey: name.toLowerCase(),
      description: request.description ?? null,
      type: request.type,
      ...emptyPublicValues(),
      ...values.shown,
      ...sealed,
      createdAt: now,
      updatedAt: now,
    } as SecretEntity;
    await this.repository.insert(row);
    this.logger.info('secret created', { tenantId: request.tenantId, secretId: id, type: request.type });
    return this.view(row, []);
  }

  async get({ tenantId, id }: SecretRef): Promise<SecretView> {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw notFound();
    return this.view(row, await this.references.findForDisplay(tenantId, id));
  }

  async list(request: SecretListRequest): Promise<SecretPage> {
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    // A foreign cursor throws InvalidCursorError: a VALIDATION error naming `cursor`.
    const cursor = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    const after = cursor && { nameKey: cursor.after, id: cursor.id };
    // One row more than asked tells whether another page exists.
    const rows = await this.repository.page({
      tenantId: request.tenantId,
      ...(request.search !== undefined && { search: request.search }),
      limit: limit + 1,
      ...(after && { after }),
    });
    const visible = rows.slice(0, limit);
    const last = visible[visible.length - 1];
    const items = await Promise.all(
      visible.map(async (row) => this.view(row, await this.references.findForDisplay(row.tenantId, row.id))),
    );
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor({ after: last.nameKey, id: last.id }) : null,
    };
  }

  async update(request: SecretUpdateBody): Promise<SecretView> {
    const { tenantId, id } = request;
    const row = await this.repository.find(tenantId, id);
    if (!row) throw notFound();
    if (request.type !== undefined && request.type !== row.type) {
      throw new ContractError('RULE_VIOLATION', `The type of a secret cannot change (it is ${row.type})`, {
        reason: 'type_immutable',
        fields: [{ field: 'type', message: 'type cannot be changed' }],
      });
    }
    const values = valuesForUpdate(row.type, valueFields(request));
    const changes: Partial<SecretEntity> = { ...values.shown, updatedAt: new Date() };
    if (request.name !== undefined) {
      changes.name = validName(request.name);
      changes.nameKey = changes.name.toLowerCase();
    }
    if (request.description !== undefined) changes.description = request.description;
    if (values.sensitive)
      Object.assign(changes, seal(this.ring, values.sensitive, { tenantId, secretId: id }));
    await this.repository.update(tenantId, id, changes);
    this.logger.info('secret updated', {
      tenantId,
      secretId: id,
      valueReplaced: values.sensitive !== undefined,
    });
    const updated: SecretEntity = { ...row, ...changes };
    return this.view(updated, await this.references.findForDisplay(tenantId, id));
  }

  /** SPEC S5: refused while anything references it, and while anyone who might cannot be asked. */
  async delete({ tenantId, id }: SecretRef): Promise<{ id: string }> {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw notFound();
    const references = await this.references.findAll(tenantId, id);
    if (references.length > 0) {
      throw new ContractError(
        'CONFLICT',
        `Secret "${row.name}" is in use by ${describeReferences(references)}`,
        {
          reason: 'in_use',
          references,
        },
      );
    }
    if (!(await this.repository.delete(tenantId, id))) throw notFound();
    this.logger.info('secret deleted', { tenantId, secretId: id });
    return { id };
  }

  async certificate({ tenantId, id }: SecretRef): Promise<SecretCertificateReply> {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw notFound();
    if (row.type !== 'certificate' || !row.certificatePem) {
      throw new ContractError('NOT_FOUND', 'This secret has no certificate', { reason: 'no_certificate' });
    }
    return { certificatePem: row.certificatePem };
  }

  async describe({ tenantId, id }: SecretRef): Promise<SecretDescribeReply> {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw notFound();
    return { id: row.id, name: row.name, type: row.type };
  }

  /** SPEC S7: the plaintext, for connectors and the directory service (NATS permissions). */
  async resolve({ tenantId, id }: SecretRef): Promise<ResolvedSecret> {
    const row = await this.repository.findSealed(tenantId, id);
    if (!row) throw notFound();
    let sensitive: SensitiveValues;
    try {
      sensitive = open(this.ring, row, { tenantId, secretId: id }) as SensitiveValues;
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      // Tampering or a missing master key: an operator problem, logged without any value.
      this.logger.error('secret cannot be decrypted', {
        tenantId,
        secretId: id,
        keyId: row.keyId,
        reason: error.message,
      });
      throw new ContractError('INTERNAL', 'The secret cannot be decrypted');
    }
    this.logger.debug('secret resolved', { tenantId, secretId: id });
    return {
      id: row.id,
      type: row.type,
      ...(row.username !== null && { username: row.username }),
      ...(row.certificatePem !== null && { certificatePem: row.certificatePem }),
      ...(row.type === 'client-secret' &&
        row.expiresAt !== null && { expiresAt: row.expiresAt.toISOString() }),
      ...sensitive,
    };
  }

  private view(row: SecretEntity, usedBy: ObjectReference[]): SecretView {
    const expiresAt = row.expiresAt;
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      type: row.type,
      ...(row.username !== null && { username: row.username }),
      ...(row.clientEmail !== null && { clientEmail: row.clientEmail }),
      ...(row.certificateThumbprint !== null &&
        row.certificateNotBefore !== null &&
        expiresAt !== null && {
          certificate: {
            subject: row.certificateSubject ?? '',
            thumbprint: row.certificateThumbprint,
            notBefore: row.certificateNotBefore.toISOString(),
            notAfter: expiresAt.toISOString(),
          },
        }),
      ...(expiresAt !== null && { expiresAt: expiresAt.toISOString() }),
      expiresSoon: expiresAt !== null && expiresAt.getTime() <= Date.now() + EXPIRES_SOON_DAYS * DAY_MS,
      usedBy,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

/** Names are trimmed; one that is only blanks is no name. */
function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0)
    throw ContractError.validation([{ field: 'name', message: 'name should not be empty' }]);
  return trimmed;
}

function emptyPublicValues(): Required<PublicValues> {
  return {
    username: null,
    clientEmail: null,
    certificatePem: null,
    certificateSubject: null,
    certificateThumbprint: null,
    certificateNotBefore: null,
    expiresAt: null,
  };
}

function describeReferences(references: readonly ObjectReference[]): string {
  return references.map((r) => (r.name ? `${r.kind} "${r.name}" (${r.id})` : `${r.kind} ${r.id}`)).join(', ');
}
