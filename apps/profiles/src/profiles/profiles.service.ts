import { randomUUID } from 'node:crypto';

import {
  type ArchivingProfile,
  ContractError,
  type FieldError,
  isUuid,
  type ObjectReference,
  PROFILE_CREATE_V1,
  PROFILE_UPDATE_V1,
  type ProfilePage,
  type ProfileType,
  PROFILE_TYPES,
  type ReferencedKind,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import { assertValidReply } from '@mailkeep/messaging';
import { decodeCursor, DEFAULT_PAGE_SIZE, keysetPage } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';

import { RemoteServices } from '../ports/remote-services.js';
import { ProfileEventsPublisher } from './profile-events.publisher.js';
import {
  isPropertyUsed,
  PROPERTY_TABLE,
  SECRET_TYPES_BY_PROFILE_TYPE,
  validateProfile,
  type ValidProfile,
  withDefaults,
} from './profile-rules.js';
import { ProfileEntity, type ProfileSettings } from './profile.entity.js';
import { DuplicateNameError, ProfilesRepository, StaleVersionError } from './profiles.repository.js';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly remote: RemoteServices,
    private readonly events: ProfileEventsPublisher,
  ) {}

  async create(tenantId: string, input: Record<string, unknown>): Promise<ArchivingProfile> {
    const valid = await this.validate(tenantId, input);
    const now = new Date();
    const entity = toEntity(valid, {
      id: randomUUID(),
      tenantId,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    // The reply is built and checked before the commit: a profile that cannot be shown is not stored.
    const saved = await this.profiles
      .insert(entity, (row) => assertValidReply(PROFILE_CREATE_V1, toArchivingProfile(row)))
      .catch(rethrowDuplicate);
    await this.events.created(saved);
    return toArchivingProfile(saved);
  }

  async get(tenantId: string, id: string): Promise<ArchivingProfile> {
    return toArchivingProfile(await this.require(tenantId, id));
  }

  async list(
    tenantId: string,
    query: { search?: string; limit?: number; cursor?: string },
  ): Promise<ProfilePage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 'instant');
    const rows = await this.profiles.page({
      tenantId,
      ...(query.search && { search: query.search }),
      limit: limit + 1,
      ...(cursor && { after: { createdAt: cursor.after, id: cursor.id } }),
    });
    return keysetPage(rows, limit, toArchivingProfile, (row) => ({
      after: row.createdAt.toISOString(),
      id: row.id,
    }));
  }

  /**
   * Applies changes like a create validates (P3): the type never changes (P4); properties the
   * stored profile had but its new mode does not use are dropped, while explicitly sent ones that
   * do not fit are errors.
   */
  async update(
    tenantId: string,
    id: string,
    changes: Record<string, unknown>,
    expectedVersion?: number,
  ): Promise<ArchivingProfile> {
    const current = await this.require(tenantId, id);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new ContractError(
        'PRECONDITION_FAILED',
        `The profile changed meanwhile (now version ${current.version})`,
        {
          reason: 'stale_version',
        },
      );
    }
    if ('type' in changes && changes.type !== current.type) {
      throw new ContractError(
        'RULE_VIOLATION',
        'The type of an archiving profile cannot be changed after creation',
        {
          reason: 'type_immutable',
          fields: [
            {
              field: 'type',
              message: 'the type cannot be changed after creation; create a new profile instead',
            },
          ],
        },
      );
    }
    const stored = toInput(current);
    const mode = (changes.mode ?? stored.mode) as ValidProfile['mode'];
    for (const property of Object.keys(PROPERTY_TABLE)) {
      if (!(property in changes) && !isPropertyUsed(property, current.type, mode)) delete stored[property];
    }
    const valid = await this.validate(tenantId, { ...stored, ...changes });
    const updated = toEntity(valid, {
      id: current.id,
      tenantId,
      version: current.version,
      createdAt: current.createdAt,
      updatedAt: new Date(),
    });
    const replyFits = (row: ProfileEntity) => assertValidReply(PROFILE_UPDATE_V1, toArchivingProfile(row));
    const saved = await this.profiles.update(updated, current.version, replyFits).catch((error: unknown) => {
      if (error instanceof StaleVersionError) {
        throw new ContractError('PRECONDITION_FAILED', 'The profile changed meanwhile; read it again', {
          reason: 'stale_version',
        });
      }
      return rethrowDuplicate(error);
    });
    await this.events.updated(saved);
    return toArchivingProfile(saved);
  }

  /** P5: only while no schedule uses the profile; archived mail is never touched. */
  async delete(tenantId: string, id: string): Promise<{ id: string }> {
    const profile = await this.require(tenantId, id);
    const schedules = await this.remote.schedulesUsing(tenantId, profile.id);
    if (schedules.length > 0) {
      const names = schedules.map((s) => `"${s.name ?? s.id}"`).join(', ');
      throw new ContractError(
        'CONFLICT',
        `The profile is used by the schedule(s) ${names}; delete or retarget them first`,
        {
          reason: 'in_use',
          references: schedules,
        },
      );
    }
    if (await this.profiles.delete(tenantId, profile.id)) await this.events.deleted(tenantId, profile.id);
    return { id: profile.id };
  }

  /** Answers other services' guarded deletes: the profiles that point at their object. */
  async referencing(tenantId: string, kind: ReferencedKind, id: string): Promise<ObjectReference[]> {
    const profiles = await this.profiles.referencing(tenantId, kind, id.toLowerCase());
    return profiles.map((p) => ({ kind: 'archiving-profile', id: p.id, name: p.name }));
  }

  /** P11: tests a saved profile or a draft against one mailbox through the connector of its type. */
  async testConnection(
    tenantId: string,
    request: { profileId?: string; draft?: Record<string, unknown>; mailboxId?: string },
  ): Promise<TestConnectionResult> {
    if ((request.profileId === undefined) === (request.draft === undefined)) {
      throw ContractError.validation([
        { field: 'profileId', message: 'test either a saved profile or a draft' },
      ]);
    }
    const profile = request.profileId
      ? toInput(await this.require(tenantId, request.profileId))
      : await this.validate(tenantId, request.draft ?? {});
    const valid = withDefaults(profile as ValidProfile);
    const mailbox = await this.mailboxToTest(tenantId, valid, request.mailboxId);
    return this.remote.testConnection(
      valid.type,
      {
        tenantId,
        profile: { ...valid },
        mailbox: { id: mailbox.id, primaryAddress: mailbox.primaryAddress },
      },
      valid.timeoutSeconds ?? 60,
    );
  }

  private async mailboxToTest(tenantId: string, profile: ValidProfile, mailboxId: string | undefined) {
    if (profile.mode === 'single') {
      if (mailboxId !== undefined && mailboxId.toLowerCase() !== profile.mailboxId) {
        throw ContractError.validation([
          { field: 'mailboxId', message: 'a single-mailbox profile is tested against its own mailbox' },
        ]);
      }
      const mailbox = await this.remote.mailbox(tenantId, profile.mailboxId ?? '');
      if (!mailbox)
        throw ContractError.validation([
          { field: 'mailboxId', message: 'the profile’s mailbox no longer exists' },
        ]);
      return mailbox;
    }
    if (mailboxId === undefined) {
      throw ContractError.validation([
        {
          field: 'mailboxId',
          message: 'choose one mailbox of the directory service to test a multiple-mailbox profile',
        },
      ]);
    }
    const mailbox = isUuid(mailboxId) ? await this.remote.mailbox(tenantId, mailboxId) : undefined;
    if (!mailbox)
      throw ContractError.validation([
        { field: 'mailboxId', message: 'no mailbox with this id in the tenant' },
      ]);
    if (mailbox.directoryServiceId !== profile.directoryServiceId) {
      throw ContractError.validation([
        { field: 'mailboxId', message: 'the mailbox does not belong to the profile’s directory service' },
      ]);
    }
    return mailbox;
  }

  /**
   * The table's rules (P7–P12) and the references to other services' objects (P9), every field
   * error at once. Remote checks run for the fields that are well-formed; a service that does not
   * answer fails the whole request (503), never passes it.
   */
  private async validate(tenantId: string, input: Record<string, unknown>): Promise<ValidProfile> {
    const local = validateProfile(input);
    const localFields = new Set(local.ok ? [] : local.errors.map((e) => e.field));
    const remote = await this.checkReferences(tenantId, input, localFields);
    const errors = [...(local.ok ? [] : local.errors), ...remote];
    if (errors.length > 0 || !local.ok)
      throw ContractError.validation(errors, 'The archiving profile is invalid');
    return local.profile;
  }

  private async checkReferences(
    tenantId: string,
    input: Record<string, unknown>,
    invalid: Set<string>,
  ): Promise<FieldError[]> {
    const checks: Promise<FieldError | undefined>[] = [];
    const id = (field: string): string | undefined => {
      const value = input[field];
      return !invalid.has(field) && isUuid(value) ? value.toLowerCase() : undefined;
    };
    const secretId = id('credentialsSecretId');
    const type = (PROFILE_TYPES as readonly unknown[]).includes(input.type)
      ? (input.type as ProfileType)
      : undefined;
    if (secretId) {
      checks.push(
        this.remote.secretType(tenantId, secretId).then((secretType) => {
          if (secretType === undefined)
            return { field: 'credentialsSecretId', message: 'no secret with this id in the tenant' };
          const fitting: readonly string[] | undefined = type
            ? SECRET_TYPES_BY_PROFILE_TYPE[type]
            : undefined;
          if (fitting && !fitting.includes(secretType)) {
            return {
              field: 'credentialsSecretId',
              message: `${type} profiles need a secret of type ${fitting.join(' or ')}; this secret is ${secretType}`,
            };
          }
          return undefined;
        }),
      );
    }
    const mailboxId = id('mailboxId');
    if (mailboxId) {
      checks.push(
        this.remote
          .mailbox(tenantId, mailboxId)
          .then((found) =>
            found ? undefined : { field: 'mailboxId', message: 'no mailbox with this id in the tenant' },
          ),
      );
    }
    const directoryServiceId = id('directoryServiceId');
    if (directoryServiceId) {
      checks.push(
        this.remote
          .directoryServiceExists(tenantId, directoryServiceId)
          .then((found) =>
            found
              ? undefined
              : { field: 'directoryServiceId', message: 'no directory service with this id in the tenant' },
          ),
      );
    }
    return (await Promise.all(checks)).filter((error): error is FieldError => error !== undefined);
  }

  private async require(tenantId: string, id: string): Promise<ProfileEntity> {
    const profile = await this.profiles.find(tenantId, id);
    if (!profile) throw new ContractError('NOT_FOUND', 'No such archiving profile');
    return profile;
  }
}

function rethrowDuplicate(error: unknown): never {
  if (error instanceof DuplicateNameError) {
    throw new ContractError('CONFLICT', `An archiving profile named "${error.message}" already exists`, {
      reason: 'duplicate_name',
      fields: [{ field: 'name', message: 'another profile of the tenant has this name (names ignore case)' }],
    });
  }
  throw error;
}

export function toEntity(
  valid: ValidProfile,
  meta: { id: string; tenantId: string; version: number; createdAt: Date; updatedAt: Date },
): ProfileEntity {
  const {
    name,
    type,
    mode,
    credentialsSecretId,
    deleteInSource,
    mailboxId,
    directoryServiceId,
    ...settings
  } = valid;
  return Object.assign(new ProfileEntity(), {
    ...meta,
    name,
    nameKey: name.toLowerCase(),
    type,
    mode,
    credentialsSecretId,
    deleteInSource,
    mailboxId: mailboxId ?? null,
    directoryServiceId: directoryServiceId ?? null,
    settings: settings satisfies ProfileSettings,
  });
}

/** The stored profile as the rules accepted it: its columns and its type's settings. */
function storedProfile(entity: ProfileEntity): ValidProfile {
  return {
    name: entity.name,
    type: entity.type,
    mode: entity.mode,
    credentialsSecretId: entity.credentialsSecretId,
    deleteInSource: entity.deleteInSource,
    ...(entity.mailboxId && { mailboxId: entity.mailboxId }),
    ...(entity.directoryServiceId && { directoryServiceId: entity.directoryServiceId }),
    ...entity.settings,
  };
}

/** The stored profile as client input again (what an update starts from). */
function toInput(entity: ProfileEntity): Record<string, unknown> {
  return { ...storedProfile(entity) };
}

export function toArchivingProfile(entity: ProfileEntity): ArchivingProfile {
  const shown = withDefaults(storedProfile(entity));
  return {
    id: entity.id,
    ...shown,
    version: entity.version,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
