import { ConnectionTestFailure, ThrottledError } from '@mailkeep/connector-kit';
import { ContractError } from '@mailkeep/contracts';
import { parseGraphError as parse, type ParsedGraphError } from '@mailkeep/microsoft-graph';

/**
 * The connector's one mapping of identity-platform, Graph and transport failures (parsed by
 * @mailkeep/microsoft-graph) to what the kit acts on: a ContractError whose `reason` is the kit's
 * error category (so `authentication` is never retried, C5), a ThrottledError carrying the wait,
 * or a ConnectionTestFailure for the connection test (P11).
 */

/** The kit's category for a parsed failure (see connector-kit policy ERROR_CATEGORIES). */
function kitReason(parsed: ParsedGraphError): string {
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

/** Reason of a ContractError for a 410 / SyncStateNotFound: restart the folder's delta. */
export const RESYNC_REQUIRED = 'sync_state_not_found';
/** Reason of a ContractError for a message (item) that no longer exists. */
export const ITEM_NOT_FOUND = 'item_not_found';

function reason(parsed: ParsedGraphError): string {
  if (parsed.resyncRequired) return RESYNC_REQUIRED;
  if (parsed.microsoftCode === 'ErrorItemNotFound') return ITEM_NOT_FOUND;
  return kitReason(parsed);
}

/** `what` names the call, e.g. `GET mailFolders of alice@contoso.com`. */
export function toContractError(error: unknown, what: string, fallbackWaitMs?: number): ContractError {
  if (error instanceof ContractError) return error;
  const parsed = parse(error);
  const message = `${what}: ${parsed.message} (${parsed.serverMessage})`;
  if (parsed.code === 'THROTTLED')
    return new ThrottledError(message, parsed.retryAfterMs ?? fallbackWaitMs ?? 0);
  return new ContractError(parsed.code, message, { reason: reason(parsed) });
}

export function toConnectionTestFailure(error: unknown): ConnectionTestFailure {
  if (error instanceof ConnectionTestFailure) return error;
  const parsed = parse(error);
  return new ConnectionTestFailure(parsed.category, parsed.message, parsed.serverMessage);
}
