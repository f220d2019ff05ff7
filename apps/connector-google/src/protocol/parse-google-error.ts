import { ConnectionTestFailure, ThrottledError } from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';
import { parseGoogleError } from '@mailkeep/google-workspace';

/**
 * The connector's one mapping of Google OAuth, Gmail and transport failures (parsed by
 * @mailkeep/google-workspace) to what the kit acts on: a ContractError the kit categorises by its
 * code (so `authentication` and `authorization` are never retried, C5), a
 * ThrottledError for quota errors, or a ConnectionTestFailure for the connection test (P11).
 */

/** Reason of a ContractError for a 404 on `history.list`: the stored history id expired. */
export const HISTORY_EXPIRED = 'history_expired';
/** Reason of a ContractError for a message that no longer exists. */
export const MESSAGE_NOT_FOUND = 'message_not_found';

/** `what` names the call, e.g. `messages.get 18c2… of alice@example.com`. */
export function toContractError(error: unknown, what: string): ContractError {
  if (error instanceof ContractError) return error;
  const parsed = parseGoogleError(error);
  const message = `${what}: ${parsed.message} (${parsed.serverMessage})`;
  if (parsed.code === 'THROTTLED') return new ThrottledError(message, parsed.retryAfterMs ?? 0);
  // The kit categorises by code (categorise in connector-kit); a transport failure is `network`
  // rather than the code's `temporary`, and a vanished message is told from a missing mailbox.
  if (parsed.code === 'UNAVAILABLE') return new ContractError(parsed.code, message, { reason: 'network' });
  if (parsed.code === 'NOT_FOUND' && parsed.category === 'protocol')
    return new ContractError(parsed.code, message, { reason: MESSAGE_NOT_FOUND });
  return new ContractError(parsed.code, message);
}

export function toConnectionTestFailure(error: unknown): ConnectionTestFailure {
  if (error instanceof ConnectionTestFailure) return error;
  const parsed = parseGoogleError(error);
  return new ConnectionTestFailure(parsed.category, parsed.message, parsed.serverMessage);
}
