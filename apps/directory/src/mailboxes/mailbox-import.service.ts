import { randomUUID } from 'node:crypto';

import {
  ContractError,
  type ImportRow,
  type ImportRowError,
  type MailboxesImportReply,
  type MailboxesImportRequest,
  type MailboxOrigin,
} from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';

import { DirectoryServicesService } from '../directory-services/directory-services.service.js';
import { checkDisplayName, checkMailboxAddresses, type MailboxAddresses } from './mailbox-addresses.js';
import { MailboxEntity } from './mailbox.entity.js';
import { AddressTakenError, MailboxesRepository, type MailboxWrite } from './mailboxes.repository.js';

interface CheckedRow {
  readonly row: number;
  readonly addresses: MailboxAddresses;
  readonly displayName: string;
}

interface Plan {
  readonly creates: MailboxWrite[];
  readonly updates: MailboxWrite[];
  /** Row number of each write, by mailbox id, to report a row that fails on its own. */
  readonly rowOf: Map<string, number>;
  unchanged: number;
}

/**
 * CSV import of mailboxes, one chunk of rows per request (SPEC D1): idempotent by primary address,
 * bad rows reported and good rows kept, written with a few multi-row statements per chunk.
 */
@Injectable()
export class MailboxImportService {
  constructor(
    private readonly mailboxes: MailboxesRepository,
    private readonly directoryServices: DirectoryServicesService,
  ) {}

  async import(request: MailboxesImportRequest): Promise<MailboxesImportReply> {
    const { tenantId } = request;
    let directoryServiceId: string | undefined;
    if (request.directoryServiceId !== undefined) {
      const service = await this.directoryServices.requireManualMembership(
        tenantId,
        request.directoryServiceId,
      );
      if (!service) throw new ContractError('NOT_FOUND', 'No such directory service');
      directoryServiceId = service.id;
    }
    const errors: ImportRowError[] = [];
    const rows = this.checkRows(request.rows, errors);
    const plan = await this.plan(tenantId, rows, directoryServiceId, errors);
    try {
      await this.mailboxes.write(tenantId, plan.creates, plan.updates);
    } catch (error) {
      if (!(error instanceof AddressTakenError)) throw error;
      // Another writer took an address since the plan was made: apply row by row, so only the
      // rows that collide become errors (rare, so the slower path is fine).
      await this.writeOneByOne(tenantId, plan, errors);
    }
    errors.sort((a, b) => a.row - b.row);
    return { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged, errors };
  }

  /** Validates each row; an address already claimed by an earlier row of the chunk is an error. */
  private checkRows(rows: readonly ImportRow[], errors: ImportRowError[]): CheckedRow[] {
    const claimedBy = new Map<string, number>();
    const checked: CheckedRow[] = [];
    for (const row of rows) {
      const secondaries = row.secondaryAddresses
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const addresses = checkMailboxAddresses(row.primaryAddress, secondaries);
      const displayName = checkDisplayName(row.displayName);
      if ('errors' in addresses || 'error' in displayName) {
        const messages = [
          ...('errors' in addresses ? addresses.errors : []),
          ...('error' in displayName ? [displayName.error] : []),
        ];
        errors.push({ row: row.row, message: messages.map((m) => m.message).join('; ') });
        continue;
      }
      const clash = addresses.value.keys.find((key) => claimedBy.has(key));
      if (clash !== undefined) {
        errors.push({ row: row.row, message: `the address ${clash} is also in row ${claimedBy.get(clash)}` });
        continue;
      }
      for (const key of addresses.value.keys) claimedBy.set(key, row.row);
      checked.push({ row: row.row, addresses: addresses.value, displayName: displayName.value });
    }
    return checked;
  }

  /** Decides create / update / unchanged per row against what the tenant already has. */
  private async plan(
    tenantId: string,
    rows: readonly CheckedRow[],
    directoryServiceId: string | undefined,
    errors: ImportRowError[],
  ): Promise<Plan> {
    const existing = new Map(
      (
        await this.mailboxes.findByPrimaryKeys(
          tenantId,
          rows.map((r) => r.addresses.primary.key),
        )
      ).map((m) => [m.addressKey, m]),
    );
    const owners = await this.mailboxes.owners(
      tenantId,
      rows.flatMap((r) => r.addresses.keys),
    );
    const plan: Plan = { creates: [], updates: [], rowOf: new Map(), unchanged: 0 };
    const now = new Date();
    for (const row of rows) {
      const current = existing.get(row.addresses.primary.key);
      const taken = row.addresses.keys.find((key) => {
        const owner = owners.get(key);
        return owner !== undefined && owner.mailboxId !== current?.id;
      });
      if (taken !== undefined) {
        errors.push({
          row: row.row,
          message: `the address ${taken} is already used by mailbox ${owners.get(taken)?.primaryAddress ?? ''}`,
        });
        continue;
      }
      const wanted = {
        primaryAddress: row.addresses.primary.address,
        secondaryAddresses: row.addresses.secondaries.map((s) => s.address),
        displayName: row.displayName,
        directoryServiceId: directoryServiceId ?? current?.directoryServiceId ?? null,
      };
      if (!current) {
        const mailbox = Object.assign(new MailboxEntity(), {
          id: randomUUID(),
          tenantId,
          addressKey: row.addresses.primary.key,
          enabled: true,
          origin: 'manual' satisfies MailboxOrigin,
          createdAt: now,
          updatedAt: now,
          ...wanted,
        });
        plan.creates.push({ mailbox, addressKeys: row.addresses.keys });
        plan.rowOf.set(mailbox.id, row.row);
        continue;
      }
      const same =
        current.primaryAddress === wanted.primaryAddress &&
        current.displayName === wanted.displayName &&
        current.directoryServiceId === wanted.directoryServiceId &&
        JSON.stringify(current.secondaryAddresses) === JSON.stringify(wanted.secondaryAddresses);
      if (same) {
        plan.unchanged++;
        continue;
      }
      if (
        current.origin === 'directory' &&
        (current.primaryAddress !== wanted.primaryAddress ||
          current.displayName !== wanted.displayName ||
          current.directoryServiceId !== wanted.directoryServiceId)
      ) {
        errors.push({
          row: row.row,
          message: `mailbox ${current.primaryAddress} is synced from its directory service; only its secondary addresses can change`,
        });
        continue;
      }
      const mailbox = Object.assign(new MailboxEntity(), current, wanted, { updatedAt: now });
      plan.updates.push({ mailbox, addressKeys: row.addresses.keys });
      plan.rowOf.set(mailbox.id, row.row);
    }
    return plan;
  }

  private async writeOneByOne(tenantId: string, plan: Plan, errors: ImportRowError[]): Promise<void> {
    for (const kind of ['creates', 'updates'] as const) {
      const kept: MailboxWrite[] = [];
      for (const write of plan[kind]) {
        try {
          await this.mailboxes.write(
            tenantId,
            kind === 'creates' ? [write] : [],
            kind === 'updates' ? [write] : [],
          );
          kept.push(write);
        } catch (error) {
          if (!(error instanceof AddressTakenError)) throw error;
          errors.push({
            row: plan.rowOf.get(write.mailbox.id) ?? 0,
            message: 'an address of the row is already used by another mailbox',
          });
        }
      }
      plan[kind].splice(0, plan[kind].length, ...kept);
    }
  }
}
