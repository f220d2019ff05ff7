import {
  type ArchiveMailboxCommand,
  type ArchivingProfile,
  ContractError,
  MAILBOX_GET_V1,
  type MailboxPayload,
  PROFILE_GET_V1,
  type ResolvedSecret,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { resolveSecret } from '@mailkeep/secrets-crypto';

/**
 * Everything a connector needs to archive one mailbox, loaded when its task starts. `P` is the
 * connector's own profile type (e.g. `ProfileOfType<'imap'>`), checked before the task runs.
 */
export interface ArchiveTarget<P = ArchivingProfile> {
  /** The profile as it is now (its version may be newer than the task's: the current one wins). */
  readonly profile: P;
  /** The archive mailbox: its primary address is the source login in multiple mode. */
  readonly mailbox: MailboxPayload;
  /** The plaintext of the profile's credentials secret, held only while the task runs (S7). */
  readonly credentials: ResolvedSecret;
}

/** Loads a target; tests pass their own to run a connector without the other services. */
export type ArchiveTargetLoader = (task: ArchiveMailboxCommand) => Promise<ArchiveTarget>;

/**
 * Loads the profile, mailbox and credentials of a task over the bus. Ids only travel in the work
 * queue, so a profile or secret deleted after the run started is found missing here: that is a
 * permanent failure of the task (NOT_FOUND, not retried), named so the run log explains it.
 */
export function busTargetLoader(bus: MessageBus): ArchiveTargetLoader {
  return async (task) => {
    const profile = await named('profile', () =>
      bus.request(PROFILE_GET_V1, { tenantId: task.tenantId, id: task.profileId }),
    );
    const mailbox = await named('mailbox', () =>
      bus.request(MAILBOX_GET_V1, { tenantId: task.tenantId, id: task.mailboxId }),
    );
    if (!mailbox.enabled) {
      throw new ContractError('RULE_VIOLATION', `Mailbox ${mailbox.primaryAddress} is disabled`, {
        reason: 'mailbox_disabled',
      });
    }
    const credentials = await named('credentials secret', () =>
      resolveSecret(bus, { tenantId: task.tenantId, id: profile.credentialsSecretId }),
    );
    return { profile, mailbox, credentials };
  };
}

async function named<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ContractError && error.code === 'NOT_FOUND') {
      throw new ContractError('NOT_FOUND', `The task's ${what} no longer exists: ${error.message}`, {
        reason: 'task_target_missing',
      });
    }
    throw error;
  }
}
