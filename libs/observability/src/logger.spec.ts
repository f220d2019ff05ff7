import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  type LoggerOptions,
  NestLogger,
  startTelemetry,
  type Telemetry,
  withSpan,
} from './index.js';

/** A destination that keeps what was written, so lines can be read right after logging. */
function capture(): { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const text = (): string => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function logger(options: Partial<LoggerOptions> = {}) {
  const out = capture();
  return { ...out, log: createLogger({ service: 'catalog', destination: out.stream, ...options }) };
}

let telemetry: Telemetry;
beforeAll(() => {
  telemetry = startTelemetry({
    serviceName: 'logger-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
  });
});
afterAll(async () => {
  await telemetry.shutdown();
});

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, service and msg', () => {
    const { log, lines } = logger();
    log.info('archived', { mailboxId: 'mbx-1', count: 3 });
    log.warn('slow');
    const [first, second] = lines();
    expect(first).toMatchObject({
      level: 'info',
      service: 'catalog',
      msg: 'archived',
      mailboxId: 'mbx-1',
      count: 3,
    });
    expect(new Date(String(first?.['time'])).toISOString()).toBe(first?.['time']);
    expect(second).toMatchObject({ level: 'warn', msg: 'slow' });
    expect(first).not.toHaveProperty('traceId');
  });

  it('writes every level word and honours the threshold', () => {
    const { log, lines } = logger({ level: 'debug' });
    log.fatal('f');
    log.error('e');
    log.warn('w');
    log.info('i');
    log.debug('d');
    log.trace('t');
    expect(lines().map((line) => line['level'])).toEqual(['fatal', 'error', 'warn', 'info', 'debug']);
    expect(log.level).toBe('debug');
    expect(log.isLevelEnabled('trace')).toBe(false);
  });

  it('adds the trace and span id of the active span', async () => {
    const { log, lines } = logger();
    const ids = await withSpan('work', {}, async (span) => {
      log.info('inside');
      return Promise.resolve(span.spanContext());
    });
    log.info('outside');
    const [inside, outside] = lines();
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(inside).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
    expect(outside).not.toHaveProperty('traceId');
  });

  it('never writes a secret given as a field, a binding, an error property or in a URL', () => {
    const { log, text, lines } = logger();
    const child = log.child({ tenantId: 't-1', apiKey: 'SUPERSECRET-1' });
    child.error('connect failed to postgres://app:SUPERSECRET-2@db/mailkeep', {
      password: 'SUPERSECRET-3',
      config: { headers: { Authorization: 'Bearer SUPERSECRET-4' } },
      err: Object.assign(new Error('auth failed'), { code: 'EAUTH', token: 'SUPERSECRET-5' }),
      apiKeyId: 'key-7',
    });
    expect(text()).not.toContain('SUPERSECRET');
    expect(lines()[0]).toMatchObject({
      tenantId: 't-1',
      apiKey: '[REDACTED]',
      apiKeyId: 'key-7',
      msg: 'connect failed to postgres://app:[REDACTED]@db/mailkeep',
      err: { type: 'Error', message: 'auth failed', code: 'EAUTH', token: '[REDACTED]' },
    });
  });
});

describe('NestLogger', () => {
  it('maps Nest levels and arguments', () => {
    const { log, lines } = logger({ level: 'trace' });
    const nest = new NestLogger(log);
    const stack = new Error('boom').stack;
    nest.log('Nest application successfully started', 'NestApplication');
    nest.error('Unhandled', stack, 'ExceptionsHandler');
    nest.error('with stack only', stack);
    nest.error('with context only', 'RoutesResolver');
    nest.warn({ message: 'as object', statusCode: 400 });
    nest.debug('d', { extra: 1 }, 'Ctx');
    nest.verbose('v');
    nest.fatal(new Error('dying'));
    const out = lines();
    expect(out.map((line) => line['level'])).toEqual([
      'info',
      'error',
      'error',
      'error',
      'warn',
      'debug',
      'trace',
      'fatal',
    ]);
    expect(out[0]).toMatchObject({
      msg: 'Nest application successfully started',
      context: 'NestApplication',
    });
    expect(out[1]).toMatchObject({ msg: 'Unhandled', context: 'ExceptionsHandler', stack });
    expect(out[2]).toMatchObject({ msg: 'with stack only', stack });
    expect(out[2]).not.toHaveProperty('context');
    expect(out[3]).toMatchObject({ msg: 'with context only', context: 'RoutesResolver' });
    expect(out[3]).not.toHaveProperty('stack');
    expect(out[4]).toMatchObject({ msg: 'as object', data: { message: 'as object', statusCode: 400 } });
    expect(out[5]).toMatchObject({ msg: 'd', context: 'Ctx', params: [{ extra: 1 }] });
    expect(out[7]).toMatchObject({ msg: 'dying', err: { type: 'Error', message: 'dying' } });
  });
});
