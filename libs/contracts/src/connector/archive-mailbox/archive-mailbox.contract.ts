import { IsInt, IsUUID, Min } from 'class-validator';

import { type CommandContract, defineCommand } from '../../core/contract.js';
import { CONNECTOR_COMMANDS_STREAM } from '../../core/streams.js';
import type { ProfileType } from '../../profiles/profile-table.js';

/**
 * One mailbox of one run, for the connector pool of the profile's type. Ids only: the connector
 * loads the profile and resolves its secret itself, so no credential or message body ever sits in
 * the work queue.
 */
export class ArchiveMailboxCommand {
  /** The task (one mailbox of one run); also the command's `Nats-Msg-Id`. */
  @IsUUID()
  taskId!: string;
  /** The run the task belongs to. */
  @IsUUID()
  runId!: string;
  /** The tenant owning the profile, the mailbox and the archive. */
  @IsUUID()
  tenantId!: string;
  /** The archiving profile to load (connection, folder selection, options). */
  @IsUUID()
  profileId!: string;
  /** The archive mailbox to archive. */
  @IsUUID()
  mailboxId!: string;
  /** The profile's version the run was started with, so a connector can tell it changed since. */
  @IsInt()
  @Min(1)
  profileVersion!: number;
}

/** `connector.cmd.<type>.archive-mailbox.v1`, consumed by the connector pool of the type (durable `connector-<type>`). */
export const CONNECTOR_ARCHIVE_MAILBOX_V1: Readonly<
  Record<ProfileType, CommandContract<ArchiveMailboxCommand>>
> = Object.freeze({
  imap: defineArchiveMailbox('imap'),
  exchange: defineArchiveMailbox('exchange'),
  m365: defineArchiveMailbox('m365'),
  pop3: defineArchiveMailbox('pop3'),
  'google-workspace': defineArchiveMailbox('google-workspace'),
});

/**
 * The durable consumer a connector pool of `type` pulls its tasks with, on CONNECTOR_COMMANDS: its
 * workers share it, and an autoscaler reads the pool's queue lag from it.
 */
export function workQueueDurable(type: ProfileType): string {
  return `connector-${type}`;
}

function defineArchiveMailbox(type: ProfileType): CommandContract<ArchiveMailboxCommand> {
  return defineCommand({
    subject: `connector.cmd.${type}.archive-mailbox.v1`,
    payload: ArchiveMailboxCommand,
    stream: CONNECTOR_COMMANDS_STREAM,
  });
}
