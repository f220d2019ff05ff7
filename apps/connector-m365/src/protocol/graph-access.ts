import { AppTokenCache, createGraphClient, type MicrosoftEndpoints } from '@mailkeep/microsoft-graph';

import type { M365Settings } from './m365-settings.js';
import { MailboxGraph, type MailboxGraphOptions } from './mailbox-graph.js';
import { RequestSlots } from './request-slots.js';

/**
 * What one connector worker process shares between its tasks: the endpoints, the token cache (the
 * tasks of one tenant use one token) and the worker-wide request cap.
 */
export class GraphAccess {
  readonly tokens: AppTokenCache;
  private readonly workerSlots: RequestSlots;

  constructor(
    readonly endpoints: MicrosoftEndpoints,
    requestsInFlight: number,
    tokens = new AppTokenCache(),
  ) {
    this.tokens = tokens;
    this.workerSlots = new RequestSlots(requestsInFlight);
  }

  /** A paced Graph client for one mailbox of one task. */
  mailbox(
    settings: Pick<M365Settings, 'registration' | 'sourceMailbox'>,
    task: Pick<MailboxGraphOptions, 'signal' | 'onThrottled'>,
  ): MailboxGraph {
    const { registration } = settings;
    const accessToken = (): Promise<string> => this.tokens.token(this.endpoints, registration, task.signal);
    const client = createGraphClient({ endpoints: this.endpoints, accessToken });
    return new MailboxGraph({
      client,
      accessToken,
      mailbox: settings.sourceMailbox,
      workerSlots: this.workerSlots,
      signal: task.signal,
      onThrottled: task.onThrottled,
      onTokenRejected: () => this.tokens.invalidate(this.endpoints, registration),
    });
  }
}
