import {
  DIRECTORY_REFERENCES_FIND_V1,
  type ObjectReference,
  PROFILES_REFERENCES_FIND_V1,
  type ReferencesFindReply,
  type ReferencesFindRequest,
  type RequestContract,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

import { SecretReferences } from './secrets.ports.js';

/** The services whose objects point at secrets (SPEC S5): archiving profiles and directory services. */
const REFERENCE_SOURCES: readonly RequestContract<ReferencesFindRequest, ReferencesFindReply>[] = [
  PROFILES_REFERENCES_FIND_V1,
  DIRECTORY_REFERENCES_FIND_V1,
];

/**
 * Display lookups wait at most 2 s per service: a read should not hang on a slow neighbour, and
 * `usedBy` is informative there. Deletes use the bus default (5 s) because they must get an answer.
 */
const DISPLAY_TIMEOUT_MS = 2_000;

@Injectable()
export class NatsSecretReferences extends SecretReferences {
  constructor(private readonly bus: MessageBus) {
    super();
  }

  async findAll(tenantId: string, secretId: string): Promise<ObjectReference[]> {
    const replies = await Promise.all(
      REFERENCE_SOURCES.map((contract) =>
        this.bus.request(contract, { tenantId, kind: 'secret', id: secretId }),
      ),
    );
    return replies.flatMap((reply) => reply.references);
  }

  async findForDisplay(tenantId: string, secretId: string): Promise<ObjectReference[]> {
    const replies = await Promise.all(
      REFERENCE_SOURCES.map((contract) =>
        this.bus
          .request(contract, { tenantId, kind: 'secret', id: secretId }, { timeoutMs: DISPLAY_TIMEOUT_MS })
          .then((reply) => reply.references)
          .catch(() => []),
      ),
    );
    return replies.flat();
  }
}
