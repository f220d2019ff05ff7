import { DelegatedTokenCache, type GoogleEndpoints } from '@mailkeep/google-workspace';

import type { GoogleSettings } from './google-settings.js';
import { MailboxGmail, type MailboxGmailOptions } from './mailbox-gmail.js';

/**
 * What one connector worker process shares between its tasks: the endpoints and the token cache
 * (one delegated token per mailbox, renewed shortly before it expires).
 */
export class GoogleAccess {
  constructor(
    readonly endpoints: GoogleEndpoints,
    readonly tokens = new DelegatedTokenCache(),
  ) {}

  /** The token request for a mailbox: the key, the mailbox as subject, the profile's scopes. */
  tokenRequest(settings: Pick<GoogleSettings, 'key' | 'sourceMailbox' | 'scopes'>) {
    return { key: settings.key, subject: settings.sourceMailbox, scopes: settings.scopes };
  }

  /** A token for the mailbox now (the test connection's first step, and every call's). */
  token(
    settings: Pick<GoogleSettings, 'key' | 'sourceMailbox' | 'scopes'>,
    signal?: AbortSignal,
  ): Promise<string> {
    return this.tokens.token(this.endpoints, this.tokenRequest(settings), signal);
  }

  /** A paced Gmail client for one mailbox of one task. */
  mailbox(
    settings: Pick<GoogleSettings, 'key' | 'sourceMailbox' | 'scopes'>,
    task: Pick<MailboxGmailOptions, 'signal' | 'onThrottled'> &
      Partial<Pick<MailboxGmailOptions, 'minIntervalMs'>>,
  ): MailboxGmail {
    return new MailboxGmail({
      endpoints: this.endpoints,
      mailbox: settings.sourceMailbox,
      signal: task.signal,
      onThrottled: task.onThrottled,
      ...(task.minIntervalMs !== undefined && { minIntervalMs: task.minIntervalMs }),
      accessToken: () => this.token(settings, task.signal),
      onTokenRejected: () => this.tokens.invalidate(this.endpoints, this.tokenRequest(settings)),
    });
  }
}
