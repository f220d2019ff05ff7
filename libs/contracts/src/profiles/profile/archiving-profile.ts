import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
} from 'class-validator';

import { PROFILE_MODES, PROFILE_TYPES, type ProfileMode, type ProfileType } from '../profile-table.js';
import {
  OptionalSetting,
  SETTING_PROPERTIES,
  type SettingProperty,
  type SettingsOf,
} from './profile-settings.js';

export { ProfileFolders } from './profile-settings.js';

/** What every archiving profile has, whatever its type (SPEC §3.1). */
export class ProfileBase {
  /** The profile's id. */
  @IsUUID()
  id!: string;
  /** Unique in the tenant, case-insensitively. */
  @IsString()
  @MaxLength(200)
  name!: string;
  /** Fixed at creation. */
  @IsIn(PROFILE_TYPES)
  type!: ProfileType;
  /** `single` mailbox or `multiple` (every mailbox of a directory service). */
  @IsIn(PROFILE_MODES)
  mode!: ProfileMode;
  /** The secret used to connect. */
  @IsUUID()
  credentialsSecretId!: string;
  /** Single mode: the archive mailbox. */
  @IsOptional()
  @IsUUID()
  mailboxId?: string;
  /** Multiple mode: the directory service whose mailboxes are archived. */
  @IsOptional()
  @IsUUID()
  directoryServiceId?: string;
  /** Delete from the source once archived durably (journal mailboxes only). */
  @IsBoolean()
  deleteInSource!: boolean;
  /** Increases with every change; the ETag for If-Match. */
  @IsInt()
  @Min(1)
  version!: number;
  /** ISO-8601 UTC. */
  @IsISO8601()
  createdAt!: string;
  /** ISO-8601 UTC. */
  @IsISO8601()
  updatedAt!: string;
}

/** A profile of one type: the common properties and that type's settings, flat as on the wire. */
export type ProfileOfType<T extends ProfileType> = Omit<ProfileBase, 'type'> & { type: T } & SettingsOf<T>;

/** A profile, discriminated by `type`: narrowing on `type` gives that type's settings. */
export type TypedProfile = { [T in ProfileType]: ProfileOfType<T> }[ProfileType];

/** Each setting with the union of its types across the profile types that have it. */
type AnySettings = SettingsOf<ProfileType>;
type FlatSettings = {
  [K in SettingProperty]?: AnySettings extends infer S
    ? S extends { [P in K]?: infer V }
      ? V
      : never
    : never;
};

/**
 * An archiving profile as stored and shown (SPEC §3.1), the reply class of the profile requests:
 * the common properties plus every type's settings, each optional. Properties the type or mode
 * does not use are absent; defaults (port, timeout) are filled in. The settings' rules are those
 * of the settings classes (profile-settings.ts), applied below, so the shape is written once.
 */
// The class carries the rules, the merged interface the settings' types: every one is optional,
// so nothing the class leaves uninitialised is promised (what the lint rule guards against).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ArchivingProfile extends ProfileBase {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface ArchivingProfile extends FlatSettings {}
for (const property of SETTING_PROPERTIES) OptionalSetting()(ArchivingProfile.prototype, property);
