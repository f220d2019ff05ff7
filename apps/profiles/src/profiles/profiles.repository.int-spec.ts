import { randomUUID } from 'node:crypto';

import { ContractError, PROFILE_CREATE_V1, PROFILE_UPDATE_V1 } from '@mailkeep/contracts';
import { assertValidReply } from '@mailkeep/messaging';
import { type ServiceHarness, startServiceHarness } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PROFILES_SCHEMA } from '../database/profiles-schema.js';
import { minimal } from './profile-fixtures.js';
import { validateProfile, type ValidProfile } from './profile-rules.js';
import type { ProfileEntity } from './profile.entity.js';
import { ProfilesRepository } from './profiles.repository.js';
import { toArchivingProfile, toEntity } from './profiles.service.js';

/**
 * Issue 19: a write checks its reply before it commits. A reply the contract refuses (here a
 * stored value the reply class does not accept, as an out-of-step rule would produce) rolls the
 * write back: the caller gets INTERNAL `invalid_reply` and nothing is stored.
 */
describe('profile writes check their reply before the commit', () => {
  let harness: ServiceHarness;
  let repository: ProfilesRepository;
  const tenantId = randomUUID();

  beforeAll(async () => {
    harness = await startServiceHarness({
      name: 'profiles_reply_check',
      bus: false,
      database: PROFILES_SCHEMA,
    });
    repository = new ProfilesRepository(harness.dataSource);
  });
  afterAll(() => harness?.close());

  const valid = (): ValidProfile => {
    const outcome = validateProfile({ ...minimal('m365', 'single'), name: `M365 ${randomUUID()}` });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return outcome.profile;
  };
  const entityOf = (profile: ValidProfile, id: string = randomUUID(), version = 1): ProfileEntity => {
    const now = new Date();
    return toEntity(profile, { id, tenantId, version, createdAt: now, updatedAt: now });
  };
  const createReply = (row: ProfileEntity) => assertValidReply(PROFILE_CREATE_V1, toArchivingProfile(row));
  const updateReply = (row: ProfileEntity) => assertValidReply(PROFILE_UPDATE_V1, toArchivingProfile(row));
  // Braces around a GUID: a spelling the reply class refuses.
  const unshowable = (profile: ValidProfile): ValidProfile => ({
    ...profile,
    directoryId: '{72f988bf-86f1-41af-91ab-2d7cd011db47}',
  });

  it('stores a create whose reply is valid', async () => {
    const entity = entityOf(valid());
    await repository.insert(entity, createReply);
    expect(await repository.find(tenantId, entity.id)).toMatchObject({ id: entity.id, version: 1 });
  });

  it('stores nothing when the create reply is refused', async () => {
    const entity = entityOf(unshowable(valid()));
    const failure = await repository.insert(entity, createReply).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ContractError);
    expect(failure).toMatchObject({
      code: 'INTERNAL',
      reason: 'invalid_reply',
      fields: [{ field: 'directoryId' }],
    });
    expect(await repository.find(tenantId, entity.id)).toBeNull();
  });

  it('keeps the old state when the update reply is refused', async () => {
    const original = entityOf(valid());
    await repository.insert(original, createReply);
    const changed = entityOf(unshowable(valid()), original.id);
    const failure = await repository.update(changed, 1, updateReply).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'INTERNAL', reason: 'invalid_reply' });
    const stored = await repository.find(tenantId, original.id);
    expect(stored).toMatchObject({ version: 1, name: original.name, settings: original.settings });
  });
});
