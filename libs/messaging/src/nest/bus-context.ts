import type { ArgumentsHost } from '@nestjs/common';

import type { RequestContext } from '../core/message-bus.js';
import type { Delivery } from '../core/work-consumer.js';

/** What MessageBusServer hands a handler as its context (`@Ctx()`): a request's, or a delivery's. */
export type BusContext = RequestContext | Delivery;

/** The bus context of a Nest call, or undefined outside the bus transport (HTTP in a hybrid app). */
export function busContextOf(host: ArgumentsHost): BusContext | undefined {
  if (host.getType() !== 'rpc') return undefined;
  const context: unknown = host.switchToRpc().getContext();
  if (typeof context !== 'object' || context === null || !('traceParent' in context)) return undefined;
  return context as BusContext;
}

/** A JetStream delivery (a command or event), as opposed to a request waiting for its reply. */
export function isDelivery(context: BusContext): context is Delivery {
  return 'deliveryCount' in context;
}
