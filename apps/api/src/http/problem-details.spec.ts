import { ContractError, CONTRACT_ERROR_CODES } from '@mailkeep/contracts';
import { NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';

import { STATUS_BY_CODE } from './http-status.js';
import { toProblem } from './problem-details.js';

describe('problem details', () => {
  it('maps every contract error code to a status', () => {
    for (const code of CONTRACT_ERROR_CODES) {
      expect(toProblem(new ContractError(code, 'x'), 'r').status).toBe(STATUS_BY_CODE[code]);
    }
  });

  it('carries field errors, the finer reason as code, and references', () => {
    const problem = toProblem(
      new ContractError('VALIDATION', 'The request is invalid', {
        fields: [
          { field: 'port', message: 'port must not be greater than 65535' },
          { field: 'serverName', message: 'serverName must be a host name' },
        ],
      }),
      'req-1',
    );
    expect(problem).toMatchObject({ status: 400, code: 'validation', requestId: 'req-1' });
    expect(problem.errors).toHaveLength(2);
    const unavailable = toProblem(
      new ContractError('UNAVAILABLE', 'No connector', { reason: 'connector_unavailable' }),
      'r',
    );
    expect(unavailable).toMatchObject({ status: 503, code: 'connector_unavailable' });
    expect(unavailable.type).toContain('connector-unavailable');
  });

  it('never exposes an internal message', () => {
    expect(toProblem(new ContractError('INTERNAL', 'db password is hunter2'), 'r').detail).not.toContain(
      'hunter2',
    );
    expect(toProblem(new Error('stack secrets'), 'r')).toMatchObject({ status: 500, code: 'internal' });
    expect(toProblem(new Error('stack secrets'), 'r').detail).not.toContain('secrets');
  });

  it('turns framework errors into problems', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'), 'r')).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect(toProblem(new PayloadTooLargeException(), 'r')).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });
});
