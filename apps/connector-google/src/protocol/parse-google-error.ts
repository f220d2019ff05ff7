import { ConnectionTestFailure, ThrottledError } from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';
import { parseGoogleError, type ParsedGoogleError } from '@mailkeep/google-workspace';

/**
 * The connector's one mapping of Google OAuth, Gmail and transport failures (parsed by
 * @mailkeep/google-workspace) to what the kit acts on: a ContractError whose `reason` is the kit's
 * error category (so `authentication` and `authorization` are never retried, C5), a
 * ThrottledError for quota errors, or a ConnectionTestFailure for the connection test (P11).
 */

/** Reason of a ContractError for a 404 on `history.list`: the stored history id expired. */
export const HISTORY_EXPIRED = 'history_expired';
/** Reason of a ContractError for a message that no longer exists. */
export const MESSAGE_NOT_FOUND = 'message_not_found';

function kitReason(parsed: ParsedGoogleError): string {
  switch (parsed.code) {
    case 'AUTH_FAILED':
      return 'authentication';
    case 'FORBIDDEN':
      return 'authorization';
    case 'THROTTLED':
      return 'throttled';
    case 'TIMEOUT':
      return 'timeout';
    case 'UNAVAILABLE':
      return 'network';
    case 'NOT_FOUND':
    case 'VALIDATION':
    case 'RULE_VIOLATION':
      return 'invalid';
    case 'INTERNAL':
      return 'internal';
    case 'CONFLICT':
    case 'PRECONDITION_FAILED':
    case 'TEMPORARY':
      return 'temporary';
  }
}

/** `what` names the call, e.g. `messages.get 18c2… of alice@example.com`. */
export function toContractError(error: unknown, what: string): ContractError {
  if (error instanceof ContractError) return error;
  const parsed = parseGoogleError(error);
  const message = `${what}: ${parsed.message} (${parsed.serverMessage})`;
  if (parsed.code === 'THROTTLED') return new ThrottledError(message, parsed.retryAfterMs ?? 0);
  const reason =
    parsed.code === 'NOT_FOUND' && parsed.category === 'protocol' ? MESSAGE_NOT_FOUND : kitReason(parsed);
  return new ContractError(parsed.code, message, { reason });
}

export function toConnectionTestFailure(error: unknown): ConnectionTestFailure {
  if (error instanceof ConnectionTestFailure) return error;
  const parsed = parseGoogleError(error);
  return new ConnectionTestFailure(parsed.category, parsed.message, parsed.serverMessage);
}
