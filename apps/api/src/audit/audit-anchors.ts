import type { MessageBus } from '@mailkeep/messaging';
import type { KV } from '@nats-io/kv';

import type { ChainAnchor } from './audit-hash.js';

/** A chain's head with its MAC (see anchorMac). */
export interface SealedAnchor extends ChainAnchor {
  readonly mac: string;
}

/** Where the chains' heads are kept: anywhere but the audit table's own database. */
export interface AuditAnchors {
  read(chain: string): Promise<SealedAnchor | undefined>;
  write(chain: string, anchor: SealedAnchor): Promise<void>;
}

export const AUDIT_ANCHORS = Symbol('AUDIT_ANCHORS');

/** Anchors in a JetStream key-value bucket: replicated with NATS, beyond the reach of SQL. */
const AUDIT_ANCHORS_BUCKET = 'audit-anchors';

export function natsAuditAnchors(bus: MessageBus): AuditAnchors {
  let bucket: Promise<KV> | undefined;
  const open = () => (bucket ??= bus.keyValue(AUDIT_ANCHORS_BUCKET));
  return {
    async read(chain) {
      const entry = await (await open()).get(chain);
      if (!entry || entry.operation !== 'PUT') return undefined;
      return entry.json<SealedAnchor>();
    },
    async write(chain, anchor) {
      await (await open()).put(chain, JSON.stringify(anchor));
    },
  };
}
