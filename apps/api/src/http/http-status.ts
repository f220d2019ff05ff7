import type { ContractErrorCode } from '@mailkeep/contracts';

/** The one place where coded contract errors become HTTP statuses (SPEC §5). */
export const STATUS_BY_CODE: Record<ContractErrorCode, number> = {
  VALIDATION: 400,
  AUTH_FAILED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  RULE_VIOLATION: 422,
  THROTTLED: 429,
  INTERNAL: 500,
  TEMPORARY: 503,
  UNAVAILABLE: 503,
  TIMEOUT: 503,
};

export const TITLE_BY_STATUS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
