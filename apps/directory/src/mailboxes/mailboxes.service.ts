import { randomUUID } from 'node:crypto';

import {
  checkMailAddress,
  ContractError,
  type FieldError,
  MAILBOX_CREATE_V1,
  MAILBOX_UPDATE_V1,
  type MailboxCreateRequest,
  type MailboxDescription,
  type MailboxesResolveReply,
  type MailboxesResolveRequest,
  type MailboxListRequest,
  type MailboxOrigin,
  type MailboxPage,
  type MailboxPayload,
  type MailboxUpdateRequest,
} from '@mailkeep/contracts';
import { assertValidReply } from '@mailkeep/messaging';
import { type BeforeCommit, DEFAULT_PAGE_SIZE, encodeCursor } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';

import { parseCursor } from '../directory-services/directory-services.service.js';
import { DirectoryServicesService } from '../directory-services/directory-services.service.js';
import { inUse } from '../references/in-use.js';
import { ReferenceFinder } from '../references/reference-finder.js';
import { checkDisplayName, checkMailboxAddresses } from './mailbox-addresses.js';
import { MailboxEntity } from './mailbox.entity.js';
import { AddressTakenError, MailboxesRepository, type MailboxWrite } from './mailboxes.repository.js';

@Injectable()
export class MailboxesService {
  constructor(
    private readonly mailboxes: MailboxesRepository,
    private readonly directoryServices: DirectoryServicesService,
    private readonly references: ReferenceFinder,
  ) {}

  async create(input: MailboxCreateRequest): Promise<MailboxPayload> {
    const errors: FieldError[] = [];
    const addresses = checkMailboxAddresses(input.primaryAddress, input.secondaryAddresses ?? []);
    if ('errors' in addresses) errors.push(...addresses.errors);
    const displayName = checkDisplayName(input.displayName);
    if ('error' in displayName) errors.push(displayName.error);
    if (errors.length > 0 || 'errors' in addresses || 'error' in displayName)
      throw ContractError.validation(errors);
    const directoryServiceId = await this.assignable(input.tenantId, input.directoryServiceId ?? null);
    const now = new Date();
    const mailbox = Object.assign(new MailboxEntity(), {
      id: randomUUID(),
      tenantId: input.tenantId,
      primaryAddress: addresses.value.primary.address,
      addressKey: addresses.value.primary.key,
      secondaryAddresses: addresses.value.secondaries.map((s) => s.address),
      displayName: displayName.value,
      enabled: input.enabled ?? true,
      origin: 'manual' satisfies MailboxOrigin,
      directoryServiceId,
      createdAt: now,
      updatedAt: now,
    });
    // The reply is checked before the commit: a mailbox that cannot be shown is not stored.
    await this.write({ mailbox, addressKeys: addresses.value.keys }, 'create', () =>
      assertValidReply(MAILBOX_CREATE_V1, toMailboxPayload(mailbox)),
    );
    return toMailboxPayload(mailbox);
  }

  async get(tenantId: string, id: string): Promise<MailboxPayload> {
    return toMailboxPayload(await this.require(tenantId, id));
  }

  async describe(tenantId: string, id: string): Promise<MailboxDescription> {
    const mailbox = await this.require(tenantId, id);
    return {
      id: mailbox.id,
      primaryAddress: mailbox.primaryAddress,
      displayName: mailbox.displayName,
      enabled: mailbox.enabled,
      directoryServiceId: mailbox.directoryServiceId,
    };
  }

  async list(query: MailboxListRequest): Promise<MailboxPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? undefined : parseCursor(query.cursor);
    const rows = await this.mailboxes.page({
      tenantId: query.tenantId,
      ...(query.search && { search: query.search }),
      ...(query.directoryServiceId && { directoryServiceId: query.directoryServiceId }),
      limit: limit + 1,
      ...(cursor && { after: { addressKey: cursor.after, id: cursor.id } }),
    });
    const visible = rows.slice(0, limit);
    const last = visible[visible.length - 1];
    return {
      items: visible.map(toMailboxPayload),
      nextCursor: rows.length > limit && last ? encodeCursor({ after: last.addressKey, id: last.id }) : null,
    };
  }

  /** SPEC D1: on a synced mailbox (origin `directory`) only the secondary addresses may change. */
  async update(input: MailboxUpdateRequest): Promise<MailboxPayload> {
    const mailbox = await this.require(input.tenantId, input.id);
    if (mailbox.origin === 'directory') {
      const changed = syncedFieldsChanged(mailbox, input);
      if (changed.length > 0) {
        throw new ContractError(
          'RULE_VIOLATION',
          `The mailbox is synced from its directory service; only secondaryAddresses can be edited, not ${changed.join(', ')}`,
          { reason: 'synced_mailbox' },
        );
      }
    }
    const errors: FieldError[] = [];
    const addresses = checkMailboxAddresses(
      input.primaryAddress ?? mailbox.primaryAddress,
      input.secondaryAddresses ?? mailbox.secondaryAddresses,
    );
    if ('errors' in addresses) errors.push(...addresses.errors);
    const displayName = checkDisplayName(input.displayName ?? mailbox.displayName);
    if ('error' in displayName) errors.push(displayName.error);
    if (errors.length > 0 || 'errors' in addresses || 'error' in displayName)
      throw ContractError.validation(errors);
    if (input.directoryServiceId !== undefined && input.directoryServiceId !== mailbox.directoryServiceId) {
      mailbox.directoryServiceId = await this.assignable(mailbox.tenantId, input.directoryServiceId);
    }
    Object.assign(mailbox, {
      primaryAddress: addresses.value.primary.address,
      addressKey: addresses.value.primary.key,
      secondaryAddresses: addresses.value.secondaries.map((s) => s.address),
      displayName: displayName.value,
      enabled: input.enabled ?? mailbox.enabled,
      updatedAt: new Date(),
    });
    // The reply is checked before the commit: a mailbox that cannot be shown is not stored.
    await this.write({ mailbox, addressKeys: addresses.value.keys }, 'update', () =>
      assertValidReply(MAILBOX_UPDATE_V1, toMailboxPayload(mailbox)),
    );
    return toMailboxPayload(mailbox);
  }

  /** SPEC D2: refused while a profile uses it, and when profiles cannot be asked. */
  async delete(tenantId: string, id: string): Promise<{ id: string }> {
    const mailbox = await this.require(tenantId, id);
    const references = await this.references.find(['profiles'], {
      tenantId,
      kind: 'mailbox',
      id: mailbox.id,
    });
    if (references.length > 0) throw inUse(`mailbox ${mailbox.primaryAddress}`, references);
    if (!(await this.mailboxes.delete(tenantId, mailbox.id)))
      throw new ContractError('NOT_FOUND', 'No such mailbox');
    return { id: mailbox.id };
  }

  /** The enabled members of a directory service, by id, in keyset pages. */
  async resolve(request: MailboxesResolveRequest): Promise<MailboxesResolveReply> {
    const service = await this.directoryServices.describe(request.tenantId, request.directoryServiceId);
    const cursor = request.cursor === undefined ? undefined : parseCursor(request.cursor);
    const rows = await this.mailboxes.members(request.tenantId, service.id, request.limit + 1, cursor?.id);
    const visible = rows.slice(0, request.limit);
    const last = visible[visible.length - 1];
    return {
      items: visible.map((m) => ({
        id: m.id,
        primaryAddress: m.primaryAddress,
        secondaryAddresses: m.secondaryAddresses,
        displayName: m.displayName,
      })),
      nextCursor: rows.length > request.limit && last ? encodeCursor({ after: last.id, id: last.id }) : null,
    };
  }

  /** Null, or the id of a directory service of the tenant that takes members by hand. */
  private async assignable(tenantId: string, id: string | null): Promise<string | null> {
    if (id === null) return null;
    const service = await this.directoryServices.requireManualMembership(tenantId, id);
    if (!service) {
      throw ContractError.validation([
        {
          field: 'directoryServiceId',
          message: 'directoryServiceId names no directory service of this tenant',
        },
      ]);
    }
    return service.id;
  }

  private async write(
    write: MailboxWrite,
    kind: 'create' | 'update',
    check: BeforeCommit<void>,
  ): Promise<void> {
    try {
      await this.mailboxes.write(
        write.mailbox.tenantId,
        kind === 'create' ? [write] : [],
        kind === 'update' ? [write] : [],
        check,
      );
    } catch (error) {
      if (error instanceof AddressTakenError) throw await this.addressConflict(write);
      throw error;
    }
  }

  /** CONFLICT naming the first address another mailbox already has. */
  private async addressConflict(write: MailboxWrite): Promise<ContractError> {
    const owners = await this.mailboxes.owners(write.mailbox.tenantId, write.addressKeys);
    for (const key of write.addressKeys) {
      const owner = owners.get(key);
      if (owner && owner.mailboxId !== write.mailbox.id) {
        return new ContractError(
          'CONFLICT',
          `The address ${key} is already used by mailbox ${owner.primaryAddress}`,
          {
            reason: 'duplicate_address',
            references: [{ kind: 'mailbox', id: owner.mailboxId, name: owner.primaryAddress }],
          },
        );
      }
    }
    return new ContractError('CONFLICT', 'An address of the mailbox is already used by another mailbox', {
      reason: 'duplicate_address',
    });
  }

  private async require(tenantId: string, id: string): Promise<MailboxEntity> {
    const mailbox = await this.mailboxes.find(tenantId, id);
    if (!mailbox) throw new ContractError('NOT_FOUND', 'No such mailbox');
    return mailbox;
  }
}

function syncedFieldsChanged(mailbox: MailboxEntity, input: MailboxUpdateRequest): string[] {
  const changed: string[] = [];
  if (input.primaryAddress !== undefined) {
    const checked = checkMailAddress(input.primaryAddress);
    if (!('address' in checked) || checked.address !== mailbox.primaryAddress) changed.push('primaryAddress');
  }
  if (input.displayName !== undefined && input.displayName.trim() !== mailbox.displayName)
    changed.push('displayName');
  if (input.enabled !== undefined && input.enabled !== mailbox.enabled) changed.push('enabled');
  if (input.directoryServiceId !== undefined && input.directoryServiceId !== mailbox.directoryServiceId)
    changed.push('directoryServiceId');
  return changed;
}

export function toMailboxPayload(mailbox: MailboxEntity): MailboxPayload {
  return {
    id: mailbox.id,
    primaryAddress: mailbox.primaryAddress,
    secondaryAddresses: mailbox.secondaryAddresses,
    displayName: mailbox.displayName,
    directoryServiceId: mailbox.directoryServiceId,
    enabled: mailbox.enabled,
    origin: mailbox.origin as MailboxOrigin,
  };
}
