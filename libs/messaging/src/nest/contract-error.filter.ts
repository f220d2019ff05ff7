import { ContractError } from '@mailkeep/contracts';
import type { Logger } from '@mailkeep/observability';
import { type ArgumentsHost, Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

import { busContextOf, isDelivery } from './bus-context.js';

/**
 * What crosses the bus when a handler fails: always a ContractError.
 * - A request's ContractError goes back to the requester as it is; anything else is logged here in
 *   full and the requester learns only that it happened (`INTERNAL`, no message).
 * - A command's or event's unexpected error becomes `TEMPORARY` with its message, so the consumer
 *   naks it with back-off; a ContractError keeps its code, and a non-retryable one terminates it.
 */
@Catch()
export class ContractErrorFilter implements RpcExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): Observable<never> {
    return throwError(() => this.toContractError(error, host));
  }

  private toContractError(error: unknown, host: ArgumentsHost): ContractError {
    if (error instanceof ContractError) return error;
    const context = busContextOf(host);
    if (context && isDelivery(context)) {
      return new ContractError('TEMPORARY', error instanceof Error ? error.message : String(error));
    }
    const subject = context?.subject ?? 'a request';
    this.logger.error('request handler failed', { subject, error });
    return new ContractError('INTERNAL', `The handler for ${subject} failed`);
  }
}
