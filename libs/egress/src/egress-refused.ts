import { ContractError } from '@mailkeep/contracts';

/**
 * ContractError reason of a destination the egress policy refuses. The code is VALIDATION: the
 * profile's server cannot be used as it is (a task fails without retries; a connection test
 * reports category `configuration`).
 */
export const EGRESS_REFUSED = 'egress_refused';

/**
 * The error for a refused destination. The text is the same whatever listens there (or nothing):
 * no connection was attempted, so there is nothing to tell about the port.
 */
export function egressRefused(host: string, address: string): ContractError {
  const who =
    host === address ? `the server's address ${address}` : `the server's address ${address} (${host})`;
  return new ContractError('VALIDATION', `${who} is not allowed by this deployment's egress policy`, {
    reason: EGRESS_REFUSED,
  });
}

/** True for the error of `egressRefused`, also after it crossed the bus. */
export function isEgressRefused(error: unknown): error is ContractError {
  return error instanceof ContractError && error.reason === EGRESS_REFUSED;
}
