import type { AnyRequestContract, CommandContract, EventContract } from '@mailkeep/contracts';
import { SetMetadata } from '@nestjs/common';

import type { ConsumeOptions } from '../core/work-consumer.js';

export const REQUEST_HANDLER = Symbol('mailkeep:request-handler');
export const MESSAGE_HANDLER = Symbol('mailkeep:message-handler');

export interface MessageHandlerMetadata {
  readonly contract: CommandContract<object> | EventContract<object>;
  readonly options: Omit<ConsumeOptions<object>, 'handler' | 'durable'> & { readonly durable?: string };
}

/**
 * Marks a provider method as the answer to a request contract. The method receives the validated
 * request and returns the reply; it throws ContractError for coded failures.
 */
export const HandleRequest = (contract: AnyRequestContract): MethodDecorator =>
  SetMetadata(REQUEST_HANDLER, contract);

/**
 * Marks a provider method as the processor of a command or event from its stream, through a
 * durable pull consumer named after the service unless `durable` is given.
 */
export const HandleMessage = (
  contract: CommandContract<object> | EventContract<object>,
  options: MessageHandlerMetadata['options'] = {},
): MethodDecorator => SetMetadata(MESSAGE_HANDLER, { contract, options } satisfies MessageHandlerMetadata);
