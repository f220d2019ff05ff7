import { randomUUID } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';

import { setRequestId } from './request-context.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept when it is short and plain, so it can be correlated end to end. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const offered = request.headers[REQUEST_ID_HEADER];
  const requestId =
    typeof offered === 'string' && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
  setRequestId(request, requestId);
  response.setHeader('X-Request-Id', requestId);
  next();
}
