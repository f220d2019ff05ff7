import {
  ContractError,
  type ObjectReference,
  PROFILES_REFERENCES_FIND_V1,
  type ReferencedKind,
  SCHEDULER_REFERENCES_FIND_V1,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

import { ReferenceFinder, type ReferenceHolder } from './reference-finder.js';

const CONTRACTS = {
  profiles: PROFILES_REFERENCES_FIND_V1,
  scheduler: SCHEDULER_REFERENCES_FIND_V1,
} as const;

/**
 * How long a guarded delete waits for each holder: a reference lookup is one indexed query, so
 * three seconds means the holder is down or stuck, and the caller gets a 503 soon enough.
 */
const FIND_REFERENCES_TIMEOUT_MS = 3_000;

/** Asks the holders over NATS, all at once. */
@Injectable()
export class BusReferenceFinder extends ReferenceFinder {
  constructor(private readonly bus: MessageBus) {
    super();
  }

  async find(
    holders: readonly ReferenceHolder[],
    query: { tenantId: string; kind: ReferencedKind; id: string },
  ): Promise<ObjectReference[]> {
    const answers = await Promise.all(
      holders.map(async (holder) => {
        try {
          const reply = await this.bus.request(CONTRACTS[holder], query, {
            timeoutMs: FIND_REFERENCES_TIMEOUT_MS,
          });
          return reply.references;
        } catch (error) {
          if (error instanceof ContractError && error.code !== 'INTERNAL' && !error.retryable) throw error;
          throw new ContractError(
            'UNAVAILABLE',
            `The ${holder} service did not answer, so it is unknown whether the ${query.kind} is in use; try again later`,
            { reason: 'dependency_unavailable' },
          );
        }
      }),
    );
    return answers.flat();
  }
}
