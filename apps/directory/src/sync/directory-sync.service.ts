import { randomUUID } from 'node:crypto';

import {
  checkMailAddress,
  type DirectoryServiceType,
  isMailAddressError,
  type MailboxOrigin,
  SYNC_LISTED_LIMIT,
  type SyncEntryErrorPayload,
  type SyncResultPayload,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';

import type { DirectoryServiceEntity } from '../directory-services/directory-service.entity.js';
import { DirectoryServicesRepository } from '../directory-services/directory-services.repository.js';
import {
  DirectoryServicesService,
  settingsOf,
  typeOf,
} from '../directory-services/directory-services.service.js';
import { MailboxEntity } from '../mailboxes/mailbox.entity.js';
import {
  AddressTakenError,
  MailboxesRepository,
  type MailboxWrite,
} from '../mailboxes/mailboxes.repository.js';
import { DirectorySources, type SourceEntry, type SourceService } from './directory-source.js';
import { changeOf, type PlannedWrite, planSync, type SyncPlan } from './sync-plan.js';

/**
 * Syncs a directory service with its source (SPEC D4): reads every entry through the type's
 * DirectorySource, plans against the service's members, and on a commit writes the plan in one
 * transaction. A static service's source is its own membership: every member unchanged.
 */
@Injectable()
export class DirectorySyncService {
  constructor(
    private readonly services: DirectoryServicesService,
    private readonly serviceRows: DirectoryServicesRepository,
    private readonly mailboxes: MailboxesRepository,
    private readonly sources: DirectorySources,
  ) {}

  async sync(request: {
    tenantId: string;
    id: string;
    dryRun: boolean;
    disableMissing?: boolean;
  }): Promise<SyncResultPayload> {
    const startedAt = new Date().toISOString();
    const service = await this.services.require(request.tenantId, request.id);
    const source = this.sources.of(typeOf(service));
    const members = await this.mailboxes.allMembers(service.tenantId, service.id);
    const plan = source
      ? await this.plan(service, await source.list(sourceServiceOf(service)), members, request.disableMissing)
      : { writes: [], unchanged: members.length, errors: [] };
    if (!request.dryRun) await this.apply(service, plan);
    const result: SyncResultPayload = {
      dryRun: request.dryRun,
      startedAt,
      finishedAt: new Date().toISOString(),
      created: count(plan, 'create'),
      updated: count(plan, 'update'),
      disabled: count(plan, 'disable'),
      unchanged: plan.unchanged,
      changes: plan.writes.slice(0, SYNC_LISTED_LIMIT).map(changeOf),
      errors: plan.errors.slice(0, SYNC_LISTED_LIMIT),
    };
    if (!request.dryRun) {
      const { changes: _changes, errors: _errors, ...summary } = result;
      await this.serviceRows.saveLastSync(service.tenantId, service.id, summary);
    }
    return result;
  }

  private async plan(
    service: DirectoryServiceEntity,
    entries: readonly SourceEntry[],
    members: readonly MailboxEntity[],
    disableMissing: boolean | undefined,
  ): Promise<SyncPlan> {
    // The keys as the plan computes them (NFC, IDNA domain, lower case); invalid ones have none.
    const keys = entries
      .flatMap((e) => [e.primaryAddress, ...e.secondaryAddresses].map(checkMailAddress))
      .flatMap((checked) => (isMailAddressError(checked) ? [] : [checked.key]));
    const owners = await this.mailboxes.owners(service.tenantId, keys);
    return planSync({ entries, members, owners, disableMissing: disableMissing ?? service.disableMissing });
  }

  async testConnection(tenantId: string, id: string): Promise<TestConnectionResult> {
    const service = await this.services.require(tenantId, id);
    const source = this.sources.of(typeOf(service));
    if (source) return source.test(sourceServiceOf(service));
    return {
      success: true,
      durationMs: 0,
      steps: [
        {
          name: 'list source',
          status: 'skipped',
          durationMs: 0,
          detail: 'a static directory service has no source',
        },
      ],
      transcript: '',
    };
  }

  /**
   * Writes the plan in one transaction. If another writer took an address since the plan was made,
   * each write is applied alone so only the colliding entries become errors (rare, so slow is fine).
   */
  private async apply(service: DirectoryServiceEntity, plan: SyncPlan): Promise<void> {
    const now = new Date();
    const writes = plan.writes.map((write) => ({ planned: write, write: mailboxWrite(service, write, now) }));
    const split = (list: typeof writes) =>
      [
        list.filter((w) => w.planned.action === 'create').map((w) => w.write),
        list.filter((w) => w.planned.action !== 'create').map((w) => w.write),
      ] as const;
    try {
      await this.mailboxes.write(service.tenantId, ...split(writes));
      return;
    } catch (error) {
      if (!(error instanceof AddressTakenError)) throw error;
    }
    const applied: PlannedWrite[] = [];
    const failed: SyncEntryErrorPayload[] = [];
    for (const one of writes) {
      try {
        await this.mailboxes.write(service.tenantId, ...split([one]));
        applied.push(one.planned);
      } catch (error) {
        if (!(error instanceof AddressTakenError)) throw error;
        failed.push({
          entry: one.planned.primary.address,
          message: 'an address of the entry was taken by another mailbox during the sync',
        });
      }
    }
    plan.writes.splice(0, plan.writes.length, ...applied);
    plan.errors.push(...failed);
  }
}

function count(plan: SyncPlan, action: PlannedWrite['action']): number {
  return plan.writes.filter((w) => w.action === action).length;
}

function sourceServiceOf(service: DirectoryServiceEntity): SourceService {
  const type: DirectoryServiceType = typeOf(service);
  return {
    tenantId: service.tenantId,
    id: service.id,
    name: service.name,
    type,
    settings: settingsOf(service),
  };
}

/** The mailbox row a planned write becomes: synced mailboxes are `directory` mailboxes of the service. */
function mailboxWrite(service: DirectoryServiceEntity, write: PlannedWrite, now: Date): MailboxWrite {
  const mailbox = Object.assign(new MailboxEntity(), {
    id: write.mailboxId ?? randomUUID(),
    tenantId: service.tenantId,
    primaryAddress: write.primary.address,
    addressKey: write.primary.key,
    secondaryAddresses: write.secondaries.map((s) => s.address),
    displayName: write.displayName,
    enabled: write.enabled,
    origin: 'directory' satisfies MailboxOrigin,
    directoryServiceId: service.id,
    externalId: write.externalId,
    createdAt: now,
    updatedAt: now,
  });
  return { mailbox, addressKeys: [write.primary.key, ...write.secondaries.map((s) => s.key)] };
}
