import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { defineRequest } from '../../core/contract.js';
import type { ProfileType } from '../../profiles/profile-table.js';

/** Where a failed connection test went wrong (SPEC P11). */
export const CONNECTION_ERROR_CATEGORIES = [
  'dns',
  'network',
  'tls',
  'authentication',
  'authorization',
  'throttled',
  'timeout',
  'protocol',
  'configuration',
] as const;
export type ConnectionErrorCategory = (typeof CONNECTION_ERROR_CATEGORIES)[number];

export class TestConnectionStep {
  /** What was tried, e.g. `resolve host`, `connect`, `tls handshake`, `authenticate`, `list folders`. */
  @IsString()
  @MaxLength(100)
  name!: string;
  /** `ok`, `failed`, or `skipped` (not reached because an earlier step failed). */
  @IsIn(['ok', 'failed', 'skipped'])
  status!: 'ok' | 'failed' | 'skipped';
  /** How long the step took. */
  @IsInt()
  @Min(0)
  durationMs!: number;
  /** What the step found, e.g. the server greeting or the number of folders. */
  @IsString()
  @MaxLength(4000)
  detail!: string;
}

export class TestConnectionError {
  /** The category a person can act on. */
  @IsIn(CONNECTION_ERROR_CATEGORIES)
  category!: ConnectionErrorCategory;
  /** Mailkeep's explanation in plain words. */
  @IsString()
  @MaxLength(2000)
  message!: string;
  /** The mail service's own technical message, untranslated. */
  @IsString()
  @MaxLength(4000)
  serverMessage!: string;
}

/** The structured result every connector returns (SPEC §5, test-connection result). */
export class TestConnectionResult {
  /** Whether authentication and listing folders succeeded. */
  @IsBoolean()
  success!: boolean;
  /** The whole test's duration. */
  @IsInt()
  @Min(0)
  durationMs!: number;
  /** The steps tried, in order. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TestConnectionStep)
  steps!: TestConnectionStep[];
  /** Present when success is false. */
  @IsOptional()
  @ValidateNested()
  @Type(() => TestConnectionError)
  error?: TestConnectionError;
  /** A plain-text transcript for the clipboard (credentials never appear in it). */
  @IsString()
  @MaxLength(100_000)
  transcript!: string;
}

export class ConnectorTestMailbox {
  /** The archive mailbox tested. */
  @IsUUID()
  id!: string;
  /** Its primary address: the source mailbox unless the profile names another. */
  @IsString()
  @MaxLength(254)
  primaryAddress!: string;
}

export class ConnectorTestConnectionRequest {
  /** The tenant; the connector resolves the profile's secret in it itself. */
  @IsUUID()
  tenantId!: string;
  /** The validated profile (saved or draft) with defaults applied; never a credential. */
  @IsObject()
  profile!: Record<string, unknown>;
  /** The mailbox to test against. */
  @ValidateNested()
  @Type(() => ConnectorTestMailbox)
  mailbox!: ConnectorTestMailbox;
}

/** `connector.req.<type>.test-connection.v1`, answered by the connector pool of the type (queue group). */
export const CONNECTOR_TEST_CONNECTION_V1: Readonly<
  Record<ProfileType, ReturnType<typeof defineConnectorTest>>
> = Object.freeze({
  imap: defineConnectorTest('imap'),
  exchange: defineConnectorTest('exchange'),
  m365: defineConnectorTest('m365'),
  pop3: defineConnectorTest('pop3'),
  'google-workspace': defineConnectorTest('google-workspace'),
});

function defineConnectorTest(type: ProfileType) {
  return defineRequest({
    subject: `connector.req.${type}.test-connection.v1`,
    request: ConnectorTestConnectionRequest,
    reply: TestConnectionResult,
  });
}
