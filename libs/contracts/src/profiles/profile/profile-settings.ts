import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsEntraGuid } from '../../core/entra-guid.js';
import {
  DEFAULT_TIMEOUT_SECONDS,
  PROFILE_PROTOCOLS,
  type ProfileType,
  TIMEOUT_SECONDS_RANGE,
} from '../profile-table.js';

export class ProfileFolders {
  /** Folders to archive (full paths, `/` between levels); empty = all. */
  @IsArray()
  @IsString({ each: true })
  include!: string[];
  /** Folders never archived. */
  @IsArray()
  @IsString({ each: true })
  exclude!: string[];
  /** Skip Trash, Junk, Drafts and Outbox (by special-use where the protocol has it). */
  @IsBoolean()
  excludeDefaults!: boolean;
}

/**
 * The shape rules of each type-specific property, and what it means (the API documentation reads
 * it), written once: the per-type settings classes below and the flat `ArchivingProfile` reply
 * apply the same rules. Which type uses a property is the property table's business
 * (profile-table.ts); the profiles service's rules add the finer value checks (host name syntax,
 * protocol per type, existing references).
 */
const SETTING_RULES = {
  serverName: {
    // RFC 1035: at most 253 characters.
    rules: [IsString(), MaxLength(253)],
    description: 'Host name or IP address, without protocol or port.',
  },
  port: {
    rules: [IsInt(), Min(0), Max(65535)],
    description: 'TCP port; empty or 0 = the protocol’s default.',
  },
  protocol: {
    // One list for every type: the table narrows it per type (PROTOCOLS_BY_TYPE).
    rules: [IsIn(PROFILE_PROTOCOLS)],
    description: '`-ssl`: implicit TLS; `-tls`: STARTTLS / STLS.',
  },
  timeoutSeconds: {
    rules: [IsInt(), Min(TIMEOUT_SECONDS_RANGE.min), Max(TIMEOUT_SECONDS_RANGE.max)],
    description: `Seconds to wait for the server; empty = ${DEFAULT_TIMEOUT_SECONDS}.`,
  },
  sourceMailbox: {
    // RFC 5321: an address has at most 254 octets.
    rules: [IsString(), MaxLength(254)],
    description:
      'Single mode: the source address when it differs from the credential’s user (or for impersonation).',
  },
  applicationId: {
    rules: [IsEntraGuid()],
    description: 'The Entra ID app registration’s Application (client) ID (a GUID, any version).',
  },
  directoryId: {
    rules: [IsEntraGuid()],
    description: 'The Entra ID Directory (tenant) ID (a GUID, any version).',
  },
  ignoreTlsCertificateErrors: { rules: [IsBoolean()], description: 'Accept any server certificate. Unsafe.' },
  folders: {
    rules: [ValidateNested(), Type(() => ProfileFolders)],
    description: 'Which folders are archived.',
  },
} satisfies Record<string, { rules: PropertyDecorator[]; description: string }>;

export type SettingProperty = keyof typeof SETTING_RULES;
export const SETTING_PROPERTIES = Object.keys(SETTING_RULES) as SettingProperty[];

/** What a type-specific property means, in a sentence for the API documentation. */
export function settingDescription(property: SettingProperty): string {
  return SETTING_RULES[property].description;
}

/** A required type-specific property: its shape rules. */
export function Setting(): PropertyDecorator {
  return (target, property) => {
    for (const rule of SETTING_RULES[property as SettingProperty].rules) rule(target, property);
  };
}

/** An optional type-specific property (optional in the type, or used only in one mode). */
export function OptionalSetting(): PropertyDecorator {
  return (target, property) => {
    IsOptional()(target, property);
    Setting()(target, property);
  };
}

/** The settings of an `imap` profile (SPEC §3.1). */
export class ImapSettings {
  /** Host name or IP literal. */
  @Setting()
  serverName!: string;
  /** Default by protocol (993 / 143). */
  @OptionalSetting()
  port?: number;
  /** `imap-ssl` implicit TLS, `imap-tls` STARTTLS. */
  @Setting()
  protocol!: 'imap-ssl' | 'imap-tls';
  /** Seconds, 10–600 (default 60). */
  @OptionalSetting()
  timeoutSeconds?: number;
  /** Accept any certificate (unsafe). */
  @OptionalSetting()
  ignoreTlsCertificateErrors?: boolean;
  /** Folder selection. */
  @OptionalSetting()
  folders?: ProfileFolders;
}

/** The settings of a `pop3` profile (SPEC §3.1). */
export class Pop3Settings {
  /** Host name or IP literal. */
  @Setting()
  serverName!: string;
  /** Default by protocol (995 / 110). */
  @OptionalSetting()
  port?: number;
  /** `pop-ssl` implicit TLS, `pop-tls` STLS. */
  @Setting()
  protocol!: 'pop-ssl' | 'pop-tls';
  /** Seconds, 10–600 (default 60). */
  @OptionalSetting()
  timeoutSeconds?: number;
  /** Accept any certificate (unsafe). */
  @OptionalSetting()
  ignoreTlsCertificateErrors?: boolean;
}

/** The settings of an `exchange` profile (SPEC §3.1). */
export class ExchangeSettings {
  /** Host name or IP literal of the Exchange server. */
  @Setting()
  serverName!: string;
  /** Seconds, 10–600 (default 60). */
  @OptionalSetting()
  timeoutSeconds?: number;
  /** Single mode: the source mailbox when it differs from the credential's user (impersonation). */
  @OptionalSetting()
  sourceMailbox?: string;
  /** Accept any certificate (unsafe). */
  @OptionalSetting()
  ignoreTlsCertificateErrors?: boolean;
  /** Folder selection. */
  @OptionalSetting()
  folders?: ProfileFolders;
}

/** The settings of an `m365` profile (SPEC §3.1). */
export class M365Settings {
  /** The Entra ID app registration (an Entra GUID). */
  @Setting()
  applicationId!: string;
  /** The Entra ID tenant (an Entra GUID). */
  @Setting()
  directoryId!: string;
  /** Single mode: the source mailbox when it differs from the credential's user. */
  @OptionalSetting()
  sourceMailbox?: string;
  /** Folder selection. */
  @OptionalSetting()
  folders?: ProfileFolders;
}

/** The settings of a `google-workspace` profile (SPEC §3.1). */
export class GoogleWorkspaceSettings {
  /** Single mode: the source mailbox when it differs from the credential's user. */
  @OptionalSetting()
  sourceMailbox?: string;
  /** Folder selection. */
  @OptionalSetting()
  folders?: ProfileFolders;
}

/** The settings class of each type: what a connector of that type receives, validated. */
export const PROFILE_SETTINGS = {
  imap: ImapSettings,
  pop3: Pop3Settings,
  exchange: ExchangeSettings,
  m365: M365Settings,
  'google-workspace': GoogleWorkspaceSettings,
} as const satisfies Record<ProfileType, new () => object>;

export type SettingsOf<T extends ProfileType> = InstanceType<(typeof PROFILE_SETTINGS)[T]>;
