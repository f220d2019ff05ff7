import { ContractError, SERVICE_PING_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';

import type { ServiceEntry } from './services.js';

/**
 * A minute covers migrations on first start on a quiet machine. Past it the services still
 * waiting are named (and again each minute), but the wait goes on: on a loaded machine a service
 * can take minutes to start, and one that exits stops the whole platform (Supervisor) anyway.
 */
const SLOW_START_REPORT_MS = 60_000;
/** Between pings of a service that did not answer yet. */
const PING_INTERVAL_MS = 250;

/**
 * Waits until every service answers its ping on the bus, then logs `platform ready` — the line
 * an operator (and the end-to-end tests) wait for. Services that are slow to answer are reported
 * by name each minute; the platform keeps running so their logs can be read. Stops asking once
 * the platform stops.
 */
export async function announceWhenReady(
  services: readonly ServiceEntry[],
  natsUrl: readonly string[] | string,
  logger: Logger,
  stopped: AbortSignal,
): Promise<void> {
  const bus = await MessageBus.connect({ servers: natsUrl, name: 'mailkeep-launcher', logger });
  try {
    const startedAt = Date.now();
    let nextReportAt = startedAt + SLOW_START_REPORT_MS;
    const waiting = new Set(services.map((service) => service.name));
    while (waiting.size > 0 && !stopped.aborted) {
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
      if (waiting.size > 0 && Date.now() >= nextReportAt) {
        logger.warn('services not ready yet', {
          services: [...waiting],
          waitedSeconds: Math.round((Date.now() - startedAt) / 1_000),
        });
        nextReportAt += SLOW_START_REPORT_MS;
      }
      if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS));
    }
    if (stopped.aborted) return;
    logger.info('platform ready', {
      services: services.map((service) => service.name),
      seconds: Math.round((Date.now() - startedAt) / 1_000),
    });
  } finally {
    await bus.close();
  }
}
