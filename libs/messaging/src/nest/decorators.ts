import type { AnyRequestContract, CommandContract, EventContract } from '@mailkeep/contracts';
import { EventPattern, MessagePattern } from '@nestjs/microservices';

import type { ConsumeOptions } from '../core/work-consumer.js';

/** Key of the route in a pattern's extras, read by MessageBusServer when it wires the handlers. */
export const BUS_ROUTE = 'mailkeep:bus-route';

/** How MessageBusServer serves one handler: request–reply, or a durable JetStream consumer. */
export type BusRoute =
  | { readonly kind: 'request'; readonly contract: AnyRequestContract }
  | {
      readonly kind: 'message';
      readonly contract: CommandContract<object> | EventContract<object>;
      readonly options: MessageHandlerOptions;
    };

/** A consumer's settings; the durable consumer is named after the service unless `durable` is given. */
export type MessageHandlerOptions = Omit<ConsumeOptions<object>, 'handler' | 'durable' | 'span'> & {
  readonly durable?: string;
};

/**
 * Marks a controller method as the answer to a request contract (a `@MessagePattern` on the
 * contract's subject). The method receives the validated request and returns the reply; it throws
 * ContractError for coded failures. For the RequestContext too, decorate both parameters,
 * `@Payload()` and `@Ctx()` (Nest passes nothing to undecorated ones once one is decorated).
 */
export const HandleRequest = (contract: AnyRequestContract): MethodDecorator =>
  MessagePattern<string>(contract.subject, { [BUS_ROUTE]: { kind: 'request', contract } satisfies BusRoute });

/**
 * Marks a controller method as the processor of a command or event from its stream (an
 * `@EventPattern` on the contract's subject), through a durable pull consumer named after the
 * service unless `durable` is given. The method receives the validated payload (`@Payload()` and
 * `@Ctx()` for the Delivery too); it resolves to ack the message and throws to nak or terminate it.
 */
export const HandleMessage = (
  contract: CommandContract<object> | EventContract<object>,
  options: MessageHandlerOptions = {},
): MethodDecorator =>
  EventPattern<string>(contract.subject, {
    [BUS_ROUTE]: { kind: 'message', contract, options } satisfies BusRoute,
  });
