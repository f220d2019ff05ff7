import { randomUUID } from 'node:crypto';

import {
  ContractError,
  DIRECTORY_SERVICE_CREATE_V1,
  DIRECTORY_SERVICE_KINDS,
  DIRECTORY_SERVICE_UPDATE_V1,
  type DirectoryListRequest,
  type DirectoryServiceCreateRequest,
  type DirectoryServiceDescription,
  type DirectoryServicePage,
  type DirectoryServicePayload,
  type DirectoryServiceType,
  type DirectoryServiceUpdateRequest,
  type ObjectReference,
} from '@mailkeep/contracts';
import { assertValidReply } from '@mailkeep/messaging';
import { type BeforeCommit, decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';

import { SecretsClient } from '../ports/secrets.js';
import { inUse } from '../references/in-use.js';
import { ReferenceFinder } from '../references/reference-finder.js';
import { DirectoryServiceEntity } from './directory-service.entity.js';
import { DirectoryServicesRepository, DuplicateNameError } from './directory-services.repository.js';
import { validateSettings } from './directory-settings.js';

@Injectable()
export class DirectoryServicesService {
  constructor(
    private readonly services: DirectoryServicesRepository,
    private readonly references: ReferenceFinder,
    private readonly secrets: SecretsClient,
  ) {}

  async create(input: DirectoryServiceCreateRequest): Promise<DirectoryServicePayload> {
    const now = new Date();
    const service = Object.assign(new DirectoryServiceEntity(), {
      id: randomUUID(),
      tenantId: input.tenantId,
      ...nameOf(input.name),
      description: (input.description ?? '').trim(),
      type: input.type,
      ...(await this.checkedSettings(input.tenantId, input.type, input.settings ?? {})),
      disableMissing: input.disableMissing ?? false,
      lastSync: null,
      createdAt: now,
      updatedAt: now,
    });
    const saved = await this.save(service, (row) =>
      assertValidReply(DIRECTORY_SERVICE_CREATE_V1, this.toPayload(row, 0)),
    );
    return this.toPayload(saved, 0);
  }

  async get(tenantId: string, id: string): Promise<DirectoryServicePayload> {
    const service = await this.require(tenantId, id);
    const counts = await this.services.memberCounts(tenantId, [service.id]);
    return this.toPayload(service, counts.get(service.id) ?? 0);
  }

  async describe(tenantId: string, id: string): Promise<DirectoryServiceDescription> {
    const service = await this.require(tenantId, id);
    return { id: service.id, name: service.name, type: typeOf(service) };
  }

  async list(query: DirectoryListRequest): Promise<DirectoryServicePage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? undefined : parseCursor(query.cursor);
    const rows = await this.services.page({
      tenantId: query.tenantId,
      ...(query.search && { search: query.search }),
      limit: limit + 1,
      ...(cursor && { after: { nameKey: cursor.after, id: cursor.id } }),
    });
    const visible = rows.slice(0, limit);
    const counts = await this.services.memberCounts(
      query.tenantId,
      visible.map((row) => row.id),
    );
    const last = visible[visible.length - 1];
    return {
      items: visible.map((row) => this.toPayload(row, counts.get(row.id) ?? 0)),
      nextCursor: rows.length > limit && last ? encodeCursor({ after: last.nameKey, id: last.id }) : null,
    };
  }

  async update(input: DirectoryServiceUpdateRequest): Promise<DirectoryServicePayload> {
    const service = await this.require(input.tenantId, input.id);
    if (input.type !== undefined && input.type !== service.type) {
      throw new ContractError('RULE_VIOLATION', 'The type of a directory service cannot change', {
        reason: 'type_change',
      });
    }
    if (input.name !== undefined) Object.assign(service, nameOf(input.name));
    if (input.description !== undefined) service.description = input.description.trim();
    if (input.disableMissing !== undefined) service.disableMissing = input.disableMissing;
    if (input.settings !== undefined) {
      const merged = { ...settingsOf(service), ...input.settings };
      Object.assign(service, await this.checkedSettings(service.tenantId, typeOf(service), merged));
    }
    service.updatedAt = new Date();
    // Counted before the write (an edit does not change membership) so the reply can be checked
    // before the commit.
    const counts = await this.services.memberCounts(service.tenantId, [service.id]);
    const memberCount = counts.get(service.id) ?? 0;
    const saved = await this.save(service, (row) =>
      assertValidReply(DIRECTORY_SERVICE_UPDATE_V1, this.toPayload(row, memberCount)),
    );
    return this.toPayload(saved, memberCount);
  }

  /** SPEC D5: refused while a profile or a schedule uses it, and when either cannot be asked. */
  async delete(tenantId: string, id: string): Promise<{ id: string }> {
    const service = await this.require(tenantId, id);
    const references = await this.references.find(['profiles', 'scheduler'], {
      tenantId,
      kind: 'directory-service',
      id: service.id,
    });
    if (references.length > 0) throw inUse(`directory service "${service.name}"`, references);
    if (!(await this.services.delete(tenantId, service.id))) {
      throw new ContractError('NOT_FOUND', 'No such directory service');
    }
    return { id: service.id };
  }

  /** For a mailbox assignment or an import: the service must exist and take members by hand. */
  async requireManualMembership(tenantId: string, id: string): Promise<DirectoryServiceEntity | null> {
    const service = await this.services.find(tenantId, id);
    if (!service) return null;
    if (DIRECTORY_SERVICE_KINDS[typeOf(service)].synced) {
      throw new ContractError(
        'RULE_VIOLATION',
        `Directory service "${service.name}" is synced from its source; its members cannot be assigned by hand`,
        { reason: 'synced_directory_service' },
      );
    }
    return service;
  }

  /** Answers "who points at this?" for the directory's own objects (guarded deletes elsewhere). */
  async findReferences(tenantId: string, kind: string, id: string): Promise<ObjectReference[]> {
    if (kind !== 'secret') return [];
    const users = await this.services.usingSecret(tenantId, id);
    return users.map((s) => ({ kind: 'directory-service', id: s.id, name: s.name }));
  }

  async require(tenantId: string, id: string): Promise<DirectoryServiceEntity> {
    const service = await this.services.find(tenantId, id);
    if (!service) throw new ContractError('NOT_FOUND', 'No such directory service');
    return service;
  }

  private async save(
    service: DirectoryServiceEntity,
    check: BeforeCommit<DirectoryServiceEntity>,
  ): Promise<DirectoryServiceEntity> {
    try {
      return await this.services.save(service, check);
    } catch (error) {
      if (error instanceof DuplicateNameError) {
        throw new ContractError('CONFLICT', `A directory service named "${service.name}" already exists`, {
          reason: 'duplicate_name',
        });
      }
      throw error;
    }
  }

  /**
   * Validates the type's settings and checks that `credentialsSecretId` names a secret of the
   * tenant whose type fits (SPEC §5); answers the columns to store.
   */
  private async checkedSettings(
    tenantId: string,
    type: DirectoryServiceType,
    fields: Readonly<Record<string, unknown>>,
  ): Promise<Pick<DirectoryServiceEntity, 'settings' | 'credentialsSecretId'>> {
    const { credentialsSecretId, ...settings } = await validateSettings(type, fields);
    if (typeof credentialsSecretId !== 'string') return { settings, credentialsSecretId: null };
    const fits: readonly string[] = DIRECTORY_SERVICE_KINDS[type].secretTypes;
    const secretType = await this.secrets.typeOf(tenantId, credentialsSecretId);
    if (secretType === undefined) {
      throw ContractError.validation([
        {
          field: 'credentialsSecretId',
          message: 'credentialsSecretId does not name a secret of this tenant',
        },
      ]);
    }
    if (!fits.includes(secretType)) {
      throw ContractError.validation([
        {
          field: 'credentialsSecretId',
          message: `credentialsSecretId must name a ${fits.join(' or ')} secret for a ${type} directory service (this one is ${secretType})`,
        },
      ]);
    }
    return { settings, credentialsSecretId: credentialsSecretId.toLowerCase() };
  }

  private toPayload(service: DirectoryServiceEntity, memberCount: number): DirectoryServicePayload {
    return {
      id: service.id,
      name: service.name,
      description: service.description,
      type: typeOf(service),
      settings: settingsOf(service),
      disableMissing: service.disableMissing,
      memberCount,
      ...(service.lastSync && { lastSync: service.lastSync }),
      createdAt: service.createdAt.toISOString(),
      updatedAt: service.updatedAt.toISOString(),
    };
  }
}

/** The stored type: only types of DIRECTORY_SERVICE_KINDS are ever written. */
export function typeOf(service: DirectoryServiceEntity): DirectoryServiceType {
  return service.type as DirectoryServiceType;
}

/** The type's settings as shown and as a source reads them: `credentialsSecretId` back in. */
export function settingsOf(service: DirectoryServiceEntity): Record<string, unknown> {
  return {
    ...(service.credentialsSecretId !== null && { credentialsSecretId: service.credentialsSecretId }),
    ...service.settings,
  };
}

function nameOf(raw: string): { name: string; nameKey: string } {
  const name = raw.trim();
  if (name === '') throw ContractError.validation([{ field: 'name', message: 'name should not be empty' }]);
  return { name, nameKey: name.toLowerCase() };
}

/** A foreign cursor throws InvalidCursorError: a VALIDATION error naming `cursor`. */
export const parseCursor = decodeCursor;
