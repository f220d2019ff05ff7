import { type Logger } from '@mailkeep/observability';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { ContractError } from '@mailkeep/contracts';
import type { Request, Response } from 'express';

import { toProblem } from './problem-details.js';
import { API_LOGGER } from '../tokens.js';
import { requestIdOf } from './request-context.js';

/**
 * Retry-After of a 503: a service restarting or a NATS leader election is over within seconds, and
 * a client retrying sooner would only add load while it is.
 */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Every error leaves the edge as application/problem+json; unexpected ones are logged in full. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(API_LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = toProblem(error, requestIdOf(request));
    const expected = error instanceof ContractError || error instanceof HttpException;
    if (!expected || problem.status >= 500) {
      this.logger.error('request failed', { requestId: problem.requestId, status: problem.status, error });
    }
    if (response.headersSent) return;
    if (problem.status === 503) response.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
