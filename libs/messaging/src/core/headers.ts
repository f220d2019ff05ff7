import { extractTraceContext, injectTraceHeaders } from '@mailkeep/observability';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { Context } from '@opentelemetry/api';

/** Header names used on the bus; frozen like subjects. */
export const HEADER = {
  /** JetStream de-duplicates messages with the same id inside the stream's duplicate window. */
  msgId: 'Nats-Msg-Id',
  /** Set on a reply that carries a ContractError body instead of the reply payload. */
  error: 'Mailkeep-Error',
  /**
   * Who published a message (`bus.publish`'s `origin`, else one id per call): when a publish is
   * acked as a duplicate, the stored message's value tells whether the publisher meets its own
   * earlier send (an ack lost, an attempt killed) or a message someone else published before.
   */
  origin: 'Mailkeep-Origin',
} as const;

/** Headers for an outgoing message: the active trace context, plus any extra ones. */
export function outgoingHeaders(extra: Record<string, string> = {}): MsgHdrs {
  const hdrs = createHeaders();
  injectTraceHeaders((key, value) => hdrs.set(key, value));
  for (const [key, value] of Object.entries(extra)) hdrs.set(key, value);
  return hdrs;
}

export function incomingTraceContext(hdrs: MsgHdrs | undefined): Context {
  return extractTraceContext((key) => (hdrs?.has(key) ? hdrs.get(key) : undefined));
}
