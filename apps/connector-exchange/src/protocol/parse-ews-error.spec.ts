import { ServiceError, ServiceResult, SoapFaultDetails } from 'ews-javascript-api';
import { describe, expect, it } from 'vitest';

import { chooseScheme } from './ews-transport.js';
import {
  EwsCallError,
  INVALID_SYNC_STATE,
  parseEwsFailure,
  toConnectionTestFailure,
} from './parse-ews-error.js';

/** A SOAP fault as ews-javascript-api builds it from Exchange's HTTP 500 body. */
function fault(code: ServiceError, message: string, backOff?: string): SoapFaultDetails {
  const details = new SoapFaultDetails(message);
  details.ResponseCode = code;
  (details as unknown as { HttpStatusCode: number }).HttpStatusCode = 500;
  if (backOff !== undefined) details.ErrorDetails.Add('BackOffMilliseconds', backOff);
  return details;
}

describe('parseEwsFailure', () => {
  it('reads the code and BackOffMilliseconds of an ErrorServerBusy SOAP fault', () => {
    const parsed = parseEwsFailure(
      fault(
        ServiceError.ErrorServerBusy,
        'The server cannot service this request right now. Try again later.',
        '1234',
      ),
    );
    expect(parsed).toMatchObject({ code: 'ErrorServerBusy', httpStatus: 500, backOffMs: 1234 });
    expect(new EwsCallError(parsed, 'GetItem')).toMatchObject({ code: 'THROTTLED', reason: 'throttled' });
  });

  it('reads the code of a response message with ResponseClass="Error"', () => {
    const parsed = parseEwsFailure({
      Response: {
        Result: ServiceResult.Error,
        ErrorCode: ServiceError.ErrorInvalidSyncStateData,
        ErrorMessage: 'Synchronization state data is corrupt or otherwise invalid.',
      },
    });
    expect(parsed.code).toBe('ErrorInvalidSyncStateData');
    expect(new EwsCallError(parsed, 'SyncFolderItems').reason).toBe(INVALID_SYNC_STATE);
  });

  it('takes the HTTP status and the transport error the transport recorded over what the library kept', () => {
    expect(parseEwsFailure(new Error('401 Unauthorized'), { httpStatus: 401 }).code).toBe('Http401');
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const parsed = parseEwsFailure(new SoapFaultDetails('socket hang up'), { transportError: reset });
    expect(new EwsCallError(parsed, 'FindFolder')).toMatchObject({ code: 'UNAVAILABLE', reason: 'network' });
  });

  it('gives the connection test the category a person can act on', () => {
    const category = (failure: unknown) => toConnectionTestFailure(failure).category;
    const call = (error: unknown, trace = {}) => new EwsCallError(parseEwsFailure(error, trace), 'test');
    expect(category(call(new Error('401'), { httpStatus: 401 }))).toBe('authentication');
    expect(category(call(fault(ServiceError.ErrorImpersonateUserDenied, 'denied')))).toBe('authorization');
    expect(category(call(fault(ServiceError.ErrorNonExistentMailbox, 'no mailbox')))).toBe('configuration');
    expect(category(call(fault(ServiceError.ErrorServerBusy, 'busy')))).toBe('throttled');
    const untrusted = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(category(call(new SoapFaultDetails('x'), { transportError: untrusted }))).toBe('tls');
  });
});

describe('chooseScheme', () => {
  it('takes NTLM when IIS offers it (directly or behind Negotiate), else Basic', () => {
    expect(chooseScheme(['Negotiate', 'NTLM', 'Basic realm="mail.contoso.example"'])).toBe('ntlm');
    expect(chooseScheme(['Negotiate'])).toBe('ntlm');
    expect(chooseScheme(['Basic realm="mail.contoso.example"'])).toBe('basic');
    expect(chooseScheme(['Bearer'])).toBeUndefined();
  });
});
