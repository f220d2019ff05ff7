import { IsIn, IsInt, IsISO8601, IsUUID, Min } from 'class-validator';

import { defineEvent } from '../../core/contract.js';
import { DOMAIN_EVENTS_STREAM } from '../../core/streams.js';
import { PROFILE_MODES, PROFILE_TYPES, type ProfileMode, type ProfileType } from '../profile-table.js';

export class ProfileChangedEvent {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The profile. */
  @IsUUID()
  profileId!: string;
  /** Its type. */
  @IsIn(PROFILE_TYPES)
  type!: ProfileType;
  /** Its mode. */
  @IsIn(PROFILE_MODES)
  mode!: ProfileMode;
  /** Its version after the change. */
  @IsInt()
  @Min(1)
  version!: number;
  /** When (ISO-8601 UTC). */
  @IsISO8601()
  at!: string;
}

export class ProfileDeletedEvent {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The deleted profile. Its archived mail is kept. */
  @IsUUID()
  profileId!: string;
  /** When (ISO-8601 UTC). */
  @IsISO8601()
  at!: string;
}

export const PROFILE_CREATED_V1 = defineEvent({
  subject: 'profile.evt.profile.created.v1',
  payload: ProfileChangedEvent,
  stream: DOMAIN_EVENTS_STREAM,
});
export const PROFILE_UPDATED_V1 = defineEvent({
  subject: 'profile.evt.profile.updated.v1',
  payload: ProfileChangedEvent,
  stream: DOMAIN_EVENTS_STREAM,
});
export const PROFILE_DELETED_V1 = defineEvent({
  subject: 'profile.evt.profile.deleted.v1',
  payload: ProfileDeletedEvent,
  stream: DOMAIN_EVENTS_STREAM,
});
