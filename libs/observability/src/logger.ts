import type { LogLevel } from '@mailkeep/config';
import { pino, type Logger as PinoLogger } from 'pino';
import { redact, redactString } from './redact.js';
import { currentTraceIds } from './tracing.js';

export type { LogLevel };

/** Structured context of a log line; redacted before it is written. */
export type LogFields = Record<string, unknown>;

export type LogMethod = (msg: string, fields?: LogFields) => void;

/** The shared logger: one JSON object per line. */
export interface Logger {
  readonly level: LogLevel;
  fatal: LogMethod;
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  trace: LogMethod;
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger that adds `bindings` (redacted) to every line. */
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  /** The `service` field of every line. */
  service: string;
  /** Lowest level written; `info` by default (MAILKEEP_LOG_LEVEL). */
  level?: LogLevel;
  /** Where lines go; stdout by default. Written synchronously, one `write` per line. */
  destination?: NodeJS.WritableStream;
}

/**
 * Creates the JSON logger every service uses. Each line has `time` (ISO 8601), `level` (a word),
 * `service`, `msg`, the `traceId`/`spanId` of the active span when there is one, and the given
 * fields and bindings after redaction (see `redact`).
 */
export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => currentTraceIds(),
      // Fields reach pino already redacted and serialized (Errors included); pino's own `err`
      // serializer would re-wrap those plain objects as type "Object".
      serializers: { err: (value: unknown) => value },
    },
    // Synchronous stdout: the lines written just before a crash or process.exit are the ones
    // needed most, and async buffering would lose them.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return wrap(logger);
}

function wrap(logger: PinoLogger): Logger {
  const method =
    (level: LogLevel): LogMethod =>
    (msg, fields) => {
      // Checked first so that disabled levels (debug, trace in production) cost no redaction.
      if (!logger.isLevelEnabled(level)) return;
      logger[level](fields === undefined ? {} : (redact(fields) as object), redactString(msg));
    };
  return {
    get level() {
      return logger.level as LogLevel;
    },
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    isLevelEnabled: (level) => logger.isLevelEnabled(level),
    child: (bindings) => wrap(logger.child(redact(bindings) as LogFields)),
  };
}
