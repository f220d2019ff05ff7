export {
  MessageBus,
  DEFAULT_REQUEST_TIMEOUT_MS,
  NO_REPLY,
  inboxPrefixOf,
  serversAndCredentials,
} from './core/message-bus.js';
export type {
  EventSubscription,
  MessageBusOptions,
  RequestContext,
  RequestHandler,
  ServeOptions,
} from './core/message-bus.js';
export type { ConsumeOptions, ConsumerHandle, Delivery, GiveUp } from './core/work-consumer.js';
export { DEFAULT_RETRY_POLICY, backoffFor, type RetryPolicy } from './core/retry-policy.js';
export { HEADER } from './core/headers.js';
export { decodePayload, encodeJson, toValidPayload, flattenValidationErrors } from './core/payload-codec.js';
export { assertValidReply } from './core/reply-check.js';
export * from './nest/messaging.module.js';
export * from './nest/decorators.js';
export { MessageBusServer, type MessageBusServerOptions } from './nest/message-bus.server.js';
export { ContractErrorFilter } from './nest/contract-error.filter.js';
export { TracingInterceptor } from './nest/tracing.interceptor.js';
export { type BusContext, busContextOf, isDelivery } from './nest/bus-context.js';
export { ReplicasMismatchError } from './core/streams.js';
