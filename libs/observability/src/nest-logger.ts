import type { LoggerService } from '@nestjs/common';
import type { LogFields, Logger, LogLevel } from './logger.js';

/**
 * Nest's LoggerService over the shared logger, so the framework's own lines (bootstrap, routes,
 * exceptions) are JSON lines too: `NestFactory.create(AppModule, { logger: new NestLogger(logger) })`.
 *
 * Nest levels map to ours: log → info, verbose → trace, the others by name. Arguments follow
 * Nest's ConsoleLogger: the last string argument is the context; for error/fatal a stack may come
 * before it (or alone); anything else lands in `params`.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams, false);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams, true);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams, false);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams, false);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams, false);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams, true);
  }

  private write(level: LogLevel, message: unknown, optionalParams: unknown[], mayHaveStack: boolean): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const params = [...optionalParams];
    const fields: LogFields = {};
    // Same rule as Nest's ConsoleLogger: a single argument after the message that looks like a
    // stack trace (or is undefined, as `error(msg, err.stack)` gives for stackless errors) is the stack.
    if (mayHaveStack && params.length === 1 && (params[0] === undefined || isStack(params[0]))) {
      fields['stack'] = params.pop();
    } else {
      if (typeof params.at(-1) === 'string') fields['context'] = params.pop();
      if (
        mayHaveStack &&
        params.length > 0 &&
        (typeof params.at(-1) === 'string' || params.at(-1) === undefined)
      ) {
        fields['stack'] = params.pop();
      }
    }
    if (fields['stack'] === undefined) delete fields['stack'];
    if (params.length > 0) fields['params'] = params;

    let msg: string;
    if (typeof message === 'string') msg = message;
    else if (message instanceof Error) {
      msg = message.message;
      fields['err'] = message;
    } else {
      // Nest logs objects too (e.g. exception responses); keep them as data.
      const text = (message as { message?: unknown } | null)?.message;
      msg = typeof text === 'string' ? text : '';
      fields['data'] = message;
    }
    this.logger[level](msg, fields);
  }
}

function isStack(value: unknown): boolean {
  return typeof value === 'string' && /\n[ \t]+at .+:\d+:\d+/.test(value);
}
