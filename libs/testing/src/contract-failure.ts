import { ContractError } from '@mailkeep/contracts';

/**
 * The ContractError a request is expected to fail with, for assertions on its code, reason and
 * fields. A request that succeeds, or fails with anything else, fails the test.
 */
export function contractFailure(promise: Promise<unknown>): Promise<ContractError> {
  return promise.then(
    () => {
      throw new Error('expected a ContractError');
    },
    (error: unknown) => {
      if (!(error instanceof ContractError)) throw error;
      return error;
    },
  );
}
