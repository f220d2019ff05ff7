import { ContractError, SERVICE_PING_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';

import type { ServiceEntry } from './services.js';

/** A minute covers migrations on first start on a slow machine; past it something is wrong. */
const READY_DEADLINE_MS = 60_000;
/** Between pings of a service that did not answer yet. */
const PING_INTERVAL_MS = 250;

/**
 * Waits until every service answers its ping on the bus, then logs `platform ready` — the line
 * an operator (and the end-to-end tests) wait for. A service that never answers is reported by
 * name; the platform keeps running so its logs can be read. Stops asking once the platform stops.
 */
export async function announceWhenReady(
  services: readonly ServiceEntry[],
  natsUrl: readonly string[] | string,
  logger: Logger,
  stopped: AbortSignal,
): Promise<void> {
  const bus = await MessageBus.connect({ servers: natsUrl, name: 'mailkeep-launcher', logger });
  try {
    const deadline = Date.now() + READY_DEADLINE_MS;
    const waiting = new Set(services.map((service) => service.name));
    while (waiting.size > 0 && Date.now() < deadline && !stopped.aborted) {
      await Promise.all(
        [...waiting].map(async (service) => {
          try {
            await bus.request(SERVICE_PING_V1, { service }, { timeoutMs: 1_000 });
            waiting.delete(service);
          } catch (error) {
            if (!(error instanceof ContractError)) throw error;
          }
        }),
      );
      if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS));
    }
    if (stopped.aborted) return;
    if (waiting.size > 0) logger.error('services did not become ready', { services: [...waiting] });
    else logger.info('platform ready', { services: services.map((service) => service.name) });
  } finally {
    await bus.close();
  }
}
