/**
 * Coded errors that cross the bus. Services throw these (never HTTP exceptions); the requester
 * gets the same class back with the same code, and only the HTTP edge maps codes to statuses.
 */
export const CONTRACT_ERROR_CODES = [
  'NOT_FOUND',
  'CONFLICT',
  'VALIDATION',
  /** A well-formed request that breaks a rule (for example changing an immutable type). */
  'RULE_VIOLATION',
  /** An optimistic-concurrency precondition (If-Match) no longer holds. */
  'PRECONDITION_FAILED',
  'AUTH_FAILED',
  'FORBIDDEN',
  'THROTTLED',
  /** A transient failure worth retrying later. */
  'TEMPORARY',
  /** A dependency (a service, a responder, a database) is not reachable now. */
  'UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL',
] as const;

export type ContractErrorCode = (typeof CONTRACT_ERROR_CODES)[number];

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** What travels in the reply body of a failed request. */
export interface ContractErrorBody {
  readonly code: ContractErrorCode;
  readonly message: string;
  /** A finer, stable reason for clients, e.g. `connector_unavailable` or `in_use`. */
  readonly reason?: string;
  readonly fields?: readonly FieldError[];
  /** Objects the error is about, e.g. the schedules that use a profile. */
  readonly references?: readonly { readonly kind: string; readonly id: string; readonly name?: string }[];
}

const RETRYABLE: ReadonlySet<ContractErrorCode> = new Set([
  'THROTTLED',
  'TEMPORARY',
  'UNAVAILABLE',
  'TIMEOUT',
]);

export class ContractError extends Error {
  readonly code: ContractErrorCode;
  readonly reason?: string;
  readonly fields?: readonly FieldError[];
  readonly references?: ContractErrorBody['references'];

  constructor(
    code: ContractErrorCode,
    message: string,
    extra: Omit<ContractErrorBody, 'code' | 'message'> = {},
  ) {
    super(message);
    this.name = 'ContractError';
    this.code = code;
    if (extra.reason !== undefined) this.reason = extra.reason;
    if (extra.fields !== undefined) this.fields = extra.fields;
    if (extra.references !== undefined) this.references = extra.references;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  toBody(): ContractErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.reason !== undefined && { reason: this.reason }),
      ...(this.fields !== undefined && { fields: this.fields }),
      ...(this.references !== undefined && { references: this.references }),
    };
  }

  static fromBody(body: unknown): ContractError {
    if (!isErrorBody(body)) return new ContractError('INTERNAL', 'Malformed error reply');
    return new ContractError(body.code, body.message, body);
  }

  static validation(fields: readonly FieldError[], message = 'The payload is invalid'): ContractError {
    return new ContractError('VALIDATION', message, { fields });
  }
}

export function isContractErrorCode(value: unknown): value is ContractErrorCode {
  return typeof value === 'string' && (CONTRACT_ERROR_CODES as readonly string[]).includes(value);
}

function isErrorBody(body: unknown): body is ContractErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return isContractErrorCode(candidate.code) && typeof candidate.message === 'string';
}
