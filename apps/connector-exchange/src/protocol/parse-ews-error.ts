import { classifyTransportError, ConnectionTestFailure, ThrottledError } from '@mailkeep/connector-kit';
import { ContractError, type ContractErrorCode } from '@mailkeep/contracts';
import { ServiceError } from 'ews-javascript-api';

import type { CallTrace } from './ews-transport.js';

/**
 * The connector's one mapping of what ews-javascript-api rejects with to what the kit acts on.
 * The library rejects in three shapes (research/protocols.md §5.3): a `SoapFaultDetails` for an
 * HTTP 500 SOAP fault (or any other HTTP status, with the status in `HttpStatusCode`), a
 * `ServiceResponseException` for a response message with `ResponseClass="Error"`, and — for
 * operations on several items — an error response inside the returned collection, which the
 * session turns into the second shape. Transport errors lose their Node code in the library, so
 * the transport records them in the call's trace.
 */
export interface EwsFailure {
  /** The EWS response code (`ErrorServerBusy`), `Http<status>`, or the transport's code. */
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly message: string;
  /** `BackOffMilliseconds` of an ErrorServerBusy, when the server sent it. */
  readonly backOffMs: number | undefined;
  readonly transportError: Error | undefined;
}

interface LooseFault {
  readonly ResponseCode?: ServiceError;
  readonly ErrorCode?: ServiceError;
  readonly HttpStatusCode?: number;
  readonly Message?: string;
  readonly message?: string;
  readonly ErrorDetails?: { get?(key: string): string | undefined; containsKey?(key: string): boolean };
  readonly Response?: LooseFault & { readonly ErrorMessage?: string };
}

const serviceErrorName = (value: ServiceError | undefined): string | undefined =>
  value === undefined ? undefined : (ServiceError as unknown as Record<number, string>)[value];

export function parseEwsFailure(error: unknown, trace?: CallTrace): EwsFailure {
  if (trace?.transportError) {
    const transport = trace.transportError as Error & { code?: string };
    return {
      code: transport.code ?? 'TRANSPORT',
      httpStatus: undefined,
      message: transport.message,
      backOffMs: undefined,
      transportError: transport,
    };
  }
  const fault = (error ?? {}) as LooseFault;
  const source = fault.Response ?? fault;
  // A fault carries its code in ResponseCode (ErrorCode stays NoError); a response message in
  // ErrorCode. NoError in either means "not here".
  const named = [source.ResponseCode, source.ErrorCode]
    .filter((value) => value !== undefined && value !== ServiceError.NoError)
    .map(serviceErrorName)[0];
  const httpStatus = trace?.httpStatus ?? fault.HttpStatusCode;
  if (httpStatus !== undefined && httpStatus !== 500 && httpStatus !== 200) {
    return {
      code: `Http${httpStatus}`,
      httpStatus,
      message: fault.Message ?? fault.message ?? `HTTP ${httpStatus}`,
      backOffMs: undefined,
      transportError: undefined,
    };
  }
  const details = source.ErrorDetails;
  const backOff = details?.containsKey?.('BackOffMilliseconds')
    ? Number(details.get?.('BackOffMilliseconds'))
    : NaN;
  return {
    code: named ?? 'Unknown',
    httpStatus,
    message:
      fault.Response?.ErrorMessage ??
      fault.Message ??
      fault.message ??
      (error instanceof Error ? error.message : String(error)),
    backOffMs: Number.isFinite(backOff) && backOff >= 0 ? backOff : undefined,
    transportError: undefined,
  };
}

/** Reason of a ContractError for ErrorInvalidSyncStateData: restart the folder. */
export const INVALID_SYNC_STATE = 'invalid_sync_state';
/** Reason of a ContractError for an item (message) that no longer exists. */
export const ITEM_NOT_FOUND = 'item_not_found';

export const isServerBusy = (failure: EwsFailure): boolean => failure.code === 'ErrorServerBusy';

interface Mapping {
  readonly code: ContractErrorCode;
  readonly reason: string;
  readonly category: ConnectionTestFailure['category'];
  readonly advice: string;
}

const BY_EWS_CODE: Record<string, Mapping> = {
  Http401: {
    code: 'AUTH_FAILED',
    reason: 'authentication',
    category: 'authentication',
    advice: 'Exchange refused the user name or password (HTTP 401).',
  },
  Http403: {
    code: 'FORBIDDEN',
    reason: 'authorization',
    category: 'authorization',
    advice: 'Exchange refused access to EWS for this account (HTTP 403).',
  },
  Http404: {
    code: 'VALIDATION',
    reason: 'invalid',
    category: 'configuration',
    advice: 'There is no EWS endpoint at this address (HTTP 404); check the server name.',
  },
  ErrorImpersonateUserDenied: {
    code: 'FORBIDDEN',
    reason: 'authorization',
    category: 'authorization',
    advice:
      'The service account may not impersonate this mailbox: grant it the ApplicationImpersonation role (scoped to the mailboxes to archive).',
  },
  ErrorImpersonationDenied: {
    code: 'FORBIDDEN',
    reason: 'authorization',
    category: 'authorization',
    advice: 'The service account may not use impersonation: grant it the ApplicationImpersonation role.',
  },
  ErrorAccessDenied: {
    code: 'FORBIDDEN',
    reason: 'authorization',
    category: 'authorization',
    advice: 'Exchange denied access to the mailbox.',
  },
  ErrorNonExistentMailbox: {
    code: 'NOT_FOUND',
    reason: 'invalid',
    category: 'configuration',
    advice: 'Exchange has no mailbox with this SMTP address; check the source mailbox or the directory.',
  },
  ErrorMailboxMoveInProgress: {
    code: 'TEMPORARY',
    reason: 'temporary',
    category: 'protocol',
    advice: 'The mailbox is being moved to another database; try again later.',
  },
  ErrorMailboxStoreUnavailable: {
    code: 'UNAVAILABLE',
    reason: 'network',
    category: 'network',
    advice: 'The mailbox database is not available now.',
  },
  ErrorInvalidSyncStateData: {
    code: 'TEMPORARY',
    reason: INVALID_SYNC_STATE,
    category: 'protocol',
    advice: 'The folder’s sync state is no longer valid; the folder is read again.',
  },
  ErrorItemNotFound: {
    code: 'NOT_FOUND',
    reason: ITEM_NOT_FOUND,
    category: 'protocol',
    advice: 'The message no longer exists.',
  },
  ErrorFolderNotFound: {
    code: 'NOT_FOUND',
    reason: 'invalid',
    category: 'configuration',
    advice: 'The folder no longer exists.',
  },
};

function mapping(failure: EwsFailure): Mapping {
  const known = BY_EWS_CODE[failure.code];
  if (known) return known;
  if (isServerBusy(failure))
    return {
      code: 'THROTTLED',
      reason: 'throttled',
      category: 'throttled',
      advice: 'Exchange is throttling EWS requests.',
    };
  if (failure.transportError) {
    const classified = classifyTransportError(failure.transportError);
    const category = classified?.category ?? 'network';
    const code: ContractErrorCode =
      category === 'timeout'
        ? 'TIMEOUT'
        : category === 'configuration' || category === 'tls'
          ? 'VALIDATION'
          : 'UNAVAILABLE';
    return {
      code,
      reason: category === 'timeout' ? 'timeout' : code === 'VALIDATION' ? 'invalid' : 'network',
      category,
      advice: classified?.message ?? 'The connection to Exchange failed.',
    };
  }
  if (failure.httpStatus !== undefined && failure.httpStatus >= 500 && failure.code.startsWith('Http'))
    return {
      code: 'UNAVAILABLE',
      reason: 'network',
      category: 'network',
      advice: `Exchange answered HTTP ${failure.httpStatus}.`,
    };
  return {
    code: 'TEMPORARY',
    reason: 'temporary',
    category: 'protocol',
    advice: 'Exchange could not process the request.',
  };
}

/** `what` names the call, e.g. `SyncFolderItems of Inbox`. */
export function toContractError(failure: EwsFailure, what: string): ContractError {
  const mapped = mapping(failure);
  const message = `${what}: ${mapped.advice} (${failure.code}: ${failure.message})`;
  if (mapped.code === 'THROTTLED') return new ThrottledError(message, failure.backOffMs ?? 0);
  if (mapped.reason === 'invalid' && mapped.code === 'VALIDATION' && failure.transportError) {
    const transport = failure.transportError as Error & { reason?: string };
    return new ContractError('VALIDATION', message, { reason: transport.reason ?? 'invalid' });
  }
  return new ContractError(mapped.code, message, { reason: mapped.reason });
}

export function toConnectionTestFailure(error: unknown): ConnectionTestFailure {
  if (error instanceof ConnectionTestFailure) return error;
  if (error instanceof EwsCallError) {
    const transport = error.failure.transportError
      ? classifyTransportError(error.failure.transportError)
      : undefined;
    if (transport) return transport;
    const mapped = mapping(error.failure);
    return new ConnectionTestFailure(
      mapped.category,
      mapped.advice,
      `${error.failure.code}: ${error.failure.message}`,
    );
  }
  const transport = classifyTransportError(error);
  if (transport) return transport;
  if (error instanceof ContractError && error.code === 'VALIDATION')
    return new ConnectionTestFailure('configuration', error.message, error.message);
  return new ConnectionTestFailure('protocol', error instanceof Error ? error.message : String(error), '');
}

/** A failed EWS call as the session throws it: the contract error, with the parsed failure kept. */
export class EwsCallError extends ContractError {
  constructor(
    readonly failure: EwsFailure,
    what: string,
  ) {
    const mapped = toContractError(failure, what);
    super(mapped.code, mapped.message, { reason: mapped.reason ?? 'temporary' });
    this.name = 'EwsCallError';
  }
}
