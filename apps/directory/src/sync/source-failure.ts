import {
  type ConnectionErrorCategory,
  ContractError,
  type ContractErrorCode,
  type TestConnectionResult,
  type TestConnectionStep,
} from '@mailkeep/contracts';

/**
 * What a source's failure means, whatever the protocol library said it: the contract code, the
 * test-connection category a person can act on, Mailkeep's explanation and the source's own words
 * (`ParsedGraphError` and `ParsedGoogleError` both are one).
 */
export interface SourceFailure {
  readonly code: ContractErrorCode;
  readonly category: ConnectionErrorCategory;
  readonly message: string;
  readonly serverMessage: string;
}

/**
 * What a sync answers when the source fails. Never a 5xx for a source that refuses (and never a
 * 401, which the API keeps for its own keys): rejected credentials, missing permissions and wrong
 * settings are RULE_VIOLATION with the source's words (`reason` `directory_source_<category>`);
 * throttling is THROTTLED; a source that is down is UNAVAILABLE.
 */
export function sourceError(failure: SourceFailure): ContractError {
  const message = `${failure.message} (${failure.serverMessage})`;
  if (failure.code === 'THROTTLED') return new ContractError('THROTTLED', message);
  if (failure.code === 'UNAVAILABLE' || failure.code === 'TEMPORARY' || failure.code === 'TIMEOUT') {
    return new ContractError('UNAVAILABLE', message, { reason: 'directory_source_unavailable' });
  }
  return new ContractError('RULE_VIOLATION', message, { reason: `directory_source_${failure.category}` });
}

/** The service's secret was deleted or never existed: a setting to fix, said plainly. */
export function missingSecret(serviceName: string): ContractError {
  return new ContractError(
    'RULE_VIOLATION',
    `The secret of directory service "${serviceName}" no longer exists; choose another one`,
    { reason: 'directory_source_configuration' },
  );
}

/**
 * A connection test as SPEC §5 shapes it: the planned steps run in order, `run` calling `done`
 * with a detail as each one succeeds. The first failure is that step's `failed` (with the
 * source's words), and the steps after it are `skipped`.
 */
export async function runConnectionTest(
  planned: readonly string[],
  run: (done: (detail: string) => void) => Promise<void>,
  parse: (error: unknown) => SourceFailure,
): Promise<TestConnectionResult> {
  const started = Date.now();
  const steps: TestConnectionStep[] = [];
  let stepStarted = started;
  const step = (status: TestConnectionStep['status'], detail: string): void => {
    steps.push({ name: planned[steps.length] ?? '', status, durationMs: Date.now() - stepStarted, detail });
    stepStarted = Date.now();
  };
  const transcript = (): string => steps.map((s) => `${s.name}: ${s.status} (${s.detail})`).join('\n');
  try {
    await run((detail) => step('ok', detail));
    return { success: true, durationMs: Date.now() - started, steps, transcript: transcript() };
  } catch (error) {
    const failure = parse(error);
    step('failed', failure.serverMessage || failure.message);
    while (steps.length < planned.length)
      steps.push({ name: planned[steps.length] ?? '', status: 'skipped', durationMs: 0, detail: '' });
    return {
      success: false,
      durationMs: Date.now() - started,
      steps,
      error: { category: failure.category, message: failure.message, serverMessage: failure.serverMessage },
      transcript: transcript(),
    };
  }
}
