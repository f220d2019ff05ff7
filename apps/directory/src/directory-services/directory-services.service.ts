import { randomUUID } from 'node:crypto';

import {
  ContractError,
  type CreateDirectoryServiceRequest,
  DIRECTORY_SERVICE_CREATE_V1,
  DIRECTORY_SERVICE_UPDATE_V1,
  type DirectoryListRequest,
  type DirectoryServiceDescription,
  type DirectoryServicePage,
  type DirectoryServicePayload,
  type DirectoryServiceType,
  type ObjectReference,
  type SyncResultPayload,
  type UpdateDirectoryServiceRequest,
} from '@mailkeep/contracts';
import { assertValidReply } from '@mailkeep/messaging';
import { type BeforeCommit, decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';

import { inUse } from '../references/in-use.js';
import { ReferenceFinder } from '../references/reference-finder.js';
import { DirectoryServiceEntity } from './directory-service.entity.js';
import { DirectoryServicesRepository, DuplicateNameError } from './directory-services.repository.js';

/**
 * What differs per directory service type. Static services hold no settings and no secret; m365,
 * google-workspace and ldap add their settings, their secret and a real sync here.
 */
interface DirectoryTypeBehaviour {
  /** Members are assigned by hand or import (static), or only by sync. */
  readonly manualMembership: boolean;
}

const TYPES: Record<DirectoryServiceType, DirectoryTypeBehaviour> = {
  static: { manualMembership: true },
};

@Injectable()
export class DirectoryServicesService {
  constructor(
    private readonly services: DirectoryServicesRepository,
    private readonly references: ReferenceFinder,
  ) {}

  async create(input: CreateDirectoryServiceRequest): Promise<DirectoryServicePayload> {
    const now = new Date();
    const service = Object.assign(new DirectoryServiceEntity(), {
      id: randomUUID(),
      tenantId: input.tenantId,
      ...nameOf(input.name),
      description: (input.description ?? '').trim(),
      type: input.type,
      settings: {},
      credentialsSecretId: null,
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
    return { id: service.id, name: service.name, type: service.type as DirectoryServiceType };
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

  async update(input: UpdateDirectoryServiceRequest): Promise<DirectoryServicePayload> {
    const service = await this.require(input.tenantId, input.id);
    if (input.type !== undefined && input.type !== service.type) {
      throw new ContractError('RULE_VIOLATION', 'The type of a directory service cannot change', {
        reason: 'type_change',
      });
    }
    if (input.name !== undefined) Object.assign(service, nameOf(input.name));
    if (input.description !== undefined) service.description = input.description.trim();
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

  /**
   * SPEC D4. A static service's source is its own membership: nothing to create, update or
   * disable, every member unchanged. Synced types compare their source here, in the same shape.
   */
  async sync(tenantId: string, id: string, dryRun: boolean): Promise<SyncResultPayload> {
    const startedAt = new Date().toISOString();
    const service = await this.require(tenantId, id);
    const counts = await this.services.memberCounts(tenantId, [service.id]);
    const result: SyncResultPayload = {
      dryRun,
      startedAt,
      finishedAt: new Date().toISOString(),
      created: 0,
      updated: 0,
      disabled: 0,
      unchanged: counts.get(service.id) ?? 0,
    };
    if (!dryRun) await this.services.saveLastSync(tenantId, service.id, result);
    return result;
  }

  /** For a mailbox assignment or an import: the service must exist and take members by hand. */
  async requireManualMembership(tenantId: string, id: string): Promise<DirectoryServiceEntity | null> {
    const service = await this.services.find(tenantId, id);
    if (!service) return null;
    if (!TYPES[service.type as DirectoryServiceType].manualMembership) {
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

  private async require(tenantId: string, id: string): Promise<DirectoryServiceEntity> {
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

  private toPayload(service: DirectoryServiceEntity, memberCount: number): DirectoryServicePayload {
    return {
      id: service.id,
      name: service.name,
      description: service.description,
      type: service.type as DirectoryServiceType,
      memberCount,
      ...(service.lastSync && { lastSync: service.lastSync }),
      createdAt: service.createdAt.toISOString(),
      updatedAt: service.updatedAt.toISOString(),
    };
  }
}

function nameOf(raw: string): { name: string; nameKey: string } {
  const name = raw.trim();
  if (name === '') throw ContractError.validation([{ field: 'name', message: 'name should not be empty' }]);
  return { name, nameKey: name.toLowerCase() };
}

/** A foreign cursor throws InvalidCursorError: a VALIDATION error naming `cursor`. */
export const parseCursor = decodeCursor;
