import type {
  ConnectionErrorCategory,
  TestConnectionError,
  TestConnectionResult,
  TestConnectionStep,
} from '@mailkeep/contracts';
import { isEgressRefused } from '@mailkeep/egress';

import { TLS_CERTIFICATE_ERROR_CODES } from '../policy/certificate-errors.js';

/** A failure classified for the person reading the test result (P11). */
export class ConnectionTestFailure extends Error {
  constructor(
    readonly category: ConnectionErrorCategory,
    /** Mailkeep's explanation in plain words. */
    message: string,
    /** The server's or the platform's own technical text, untranslated. */
    readonly serverMessage: string,
  ) {
    super(message);
    this.name = 'ConnectionTestFailure';
  }
}

/**
 * Classifies the errors every socket-based connector meets before the protocol starts (DNS,
 * TCP, TLS, timeouts); returns undefined for anything else, which the connector classifies.
 */
export function classifyTransportError(error: unknown): ConnectionTestFailure | undefined {
  if (error instanceof ConnectionTestFailure) return error;
  // The deployment refuses the destination: a setting to change, and nothing was sent to it.
  if (isEgressRefused(error)) return new ConnectionTestFailure('configuration', error.message, error.message);
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return undefined;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new ConnectionTestFailure('dns', 'The server name could not be resolved.', text);
  }
  if (code === 'ECONNREFUSED') {
    return new ConnectionTestFailure('network', 'The server refused the connection on this port.', text);
  }
  if (['EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ECONNABORTED'].includes(code)) {
    return new ConnectionTestFailure('network', 'The connection to the server failed.', text);
  }
  if (code === 'ETIMEDOUT') {
    return new ConnectionTestFailure('timeout', 'The server did not answer in time.', text);
  }
  if (TLS_CERTIFICATE_ERROR_CODES.has(code)) {
    return new ConnectionTestFailure(
      'tls',
      'The server’s certificate is not trusted. Install a trusted certificate on the server, or ' +
        'enable "ignore TLS certificate errors" if you accept the risk.',
      text,
    );
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return new ConnectionTestFailure('tls', 'The TLS handshake with the server failed.', text);
  }
  return undefined;
}

/**
 * Records a connection test step by step: each step's outcome and duration, a transcript without
 * credentials, and the first failure classified. Steps not reached are reported `skipped`, so
 * the result always lists the whole plan.
 */
export class ConnectionTest {
  private readonly steps: TestConnectionStep[] = [];
  private readonly transcript: string[] = [];
  private readonly startedAt = Date.now();

  /** @param plan every step's name in order, e.g. `resolve host`, `connect`, `authenticate`. */
  constructor(private readonly plan: readonly string[]) {}

  /** Runs one step of the plan; a failure is recorded and thrown on to `finish`. */
  async step<T>(name: string, run: () => Promise<T>, detail: (value: T) => string = () => ''): Promise<T> {
    const startedAt = Date.now();
    try {
      const value = await run();
      this.record(name, 'ok', startedAt, detail(value));
      return value;
    } catch (error) {
      this.record(name, 'failed', startedAt, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** Adds a line to the transcript; never pass credentials. */
  log(line: string): void {
    this.transcript.push(`${new Date().toISOString()} ${line}`);
  }

  /**
   * Runs the steps and builds the result. `classify` turns a failure the transport classification
   * does not know (a protocol or authentication error) into a ConnectionTestFailure.
   */
  async run(
    steps: () => Promise<void>,
    classify: (error: unknown) => ConnectionTestFailure,
  ): Promise<TestConnectionResult> {
    let error: TestConnectionError | undefined;
    try {
      await steps();
    } catch (caught) {
      const failure = classifyTransportError(caught) ?? classify(caught);
      error = { category: failure.category, message: failure.message, serverMessage: failure.serverMessage };
      this.log(`failed (${failure.category}): ${failure.serverMessage}`);
    }
    for (const name of this.plan) {
      if (!this.steps.some((step) => step.name === name)) {
        this.steps.push({ name, status: 'skipped', durationMs: 0, detail: '' });
      }
    }
    return {
      success: error === undefined,
      durationMs: Date.now() - this.startedAt,
      steps: this.steps,
      ...(error && { error }),
      transcript: this.transcript.join('\n'),
    };
  }

  private record(name: string, status: 'ok' | 'failed', startedAt: number, detail: string): void {
    this.steps.push({ name, status, durationMs: Date.now() - startedAt, detail: detail.slice(0, 4000) });
    this.log(`${name}: ${status}${detail ? ` — ${detail}` : ''}`);
  }
}
