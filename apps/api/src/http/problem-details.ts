import { ContractError, type FieldError } from '@mailkeep/contracts';
import { HttpException } from '@nestjs/common';

import { STATUS_BY_CODE, TITLE_BY_STATUS } from './http-status.js';

/** RFC 9457 problem details, with Mailkeep's stable `code` and field errors (SPEC §5). */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Stable, lower snake case: `validation`, `not_found`, `connector_unavailable`, … */
  readonly code: string;
  readonly errors?: readonly FieldError[];
  readonly references?: ContractError['references'];
  readonly requestId: string;
}

const PROBLEM_TYPE_BASE = 'https://mailkeep.dev/problems/';

/** Transport words of the bus, said the way an API user reads them. */
const PUBLIC_REASONS: Record<string, string> = {
  no_responders: 'service_unavailable',
  timeout: 'service_timeout',
  transport: 'service_unavailable',
};

/** Any error thrown while serving a request, as the problem the caller sees. Never leaks internals. */
export function toProblem(error: unknown, requestId: string): ProblemDetails {
  if (error instanceof ContractError) {
    const status = STATUS_BY_CODE[error.code];
    const code = PUBLIC_REASONS[error.reason ?? ''] ?? error.reason ?? error.code.toLowerCase();
    return {
      type: PROBLEM_TYPE_BASE + code.replaceAll('_', '-'),
      title: TITLE_BY_STATUS[status] ?? 'Error',
      status,
      // An INTERNAL message may name internals; the caller gets a neutral sentence instead.
      detail: error.code === 'INTERNAL' ? 'An unexpected error occurred.' : error.message,
      code,
      ...(error.fields && { errors: error.fields }),
      ...(error.references && { references: error.references }),
      requestId,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = codeForStatus(status, error);
    return {
      type: PROBLEM_TYPE_BASE + code.replaceAll('_', '-'),
      title: TITLE_BY_STATUS[status] ?? 'Error',
      status,
      detail: status >= 500 ? 'An unexpected error occurred.' : detailOf(error),
      code,
      requestId,
    };
  }
  return {
    type: PROBLEM_TYPE_BASE + 'internal',
    title: TITLE_BY_STATUS[500] ?? 'Error',
    status: 500,
    detail: 'An unexpected error occurred.',
    code: 'internal',
    requestId,
  };
}

function codeForStatus(status: number, error: HttpException): string {
  // Express's body parser reports malformed JSON as a 400 with type entity.parse.failed.
  if (status === 400 && error.message.toLowerCase().includes('json')) return 'malformed_body';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  return (TITLE_BY_STATUS[status] ?? `http_${status}`).toLowerCase().replaceAll(' ', '_');
}

function detailOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return error.message;
}
