import { PROFILE_CREATED_V1, PROFILE_DELETED_V1, PROFILE_UPDATED_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

import type { ProfileEntity } from './profile.entity.js';

/** profile.evt.profile.*: message ids make a re-publish after a retry harmless. */
@Injectable()
export class ProfileEventsPublisher {
  constructor(private readonly bus: MessageBus) {}

  async created(profile: ProfileEntity): Promise<void> {
    await this.bus.publish(PROFILE_CREATED_V1, changed(profile), { msgId: `profile-created-${profile.id}` });
  }

  async updated(profile: ProfileEntity): Promise<void> {
    await this.bus.publish(PROFILE_UPDATED_V1, changed(profile), {
      msgId: `profile-updated-${profile.id}-v${profile.version}`,
    });
  }

  async deleted(tenantId: string, profileId: string): Promise<void> {
    await this.bus.publish(
      PROFILE_DELETED_V1,
      { tenantId, profileId, at: new Date().toISOString() },
      { msgId: `profile-deleted-${profileId}` },
    );
  }
}

function changed(profile: ProfileEntity) {
  return {
    tenantId: profile.tenantId,
    profileId: profile.id,
    type: profile.type,
    mode: profile.mode,
    version: profile.version,
    at: profile.updatedAt.toISOString(),
  };
}
