import type { Egress } from '@mailkeep/egress';

import { MailboxEws } from './ews-session.js';
import type { ExchangeSettings } from './exchange-settings.js';

/** What one connector worker process shares between its tasks: the EWS URL template. */
export class EwsAccess {
  constructor(readonly urlTemplate: string) {}

  /** EWS for one impersonated mailbox of one task (or, without `mailbox`, as the account itself). */
  mailbox(
    settings: ExchangeSettings,
    task: {
      readonly egress: Egress;
      readonly signal: AbortSignal;
      readonly onThrottled: (waitMs: number) => void;
    },
    impersonate = true,
  ): MailboxEws {
    return new MailboxEws({
      egress: task.egress,
      url: settings.url,
      login: settings.login,
      password: settings.password,
      timeoutMs: settings.timeoutMs,
      rejectUnauthorized: settings.rejectUnauthorized,
      ...(impersonate && { mailbox: settings.mailbox }),
      signal: task.signal,
      onThrottled: task.onThrottled,
    });
  }
}
