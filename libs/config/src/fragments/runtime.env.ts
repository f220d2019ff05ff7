import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { EnvVar } from '../env-var.js';
import { IsUrlWithProtocol, ToInt } from '../rules.js';

export const ENVIRONMENTS = ['development', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The levels of the shared logger, most severe first. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PORT = { message: 'must be an integer between 1 and 65535' };

/** What every process needs to run and be observed. */
export class RuntimeEnv {
  @EnvVar('Deployment kind: development or production.')
  @IsIn(ENVIRONMENTS, { message: `must be one of ${ENVIRONMENTS.join(', ')}` })
  MAILKEEP_ENV: Environment = 'development';

  @EnvVar('Minimum level of the JSON logs.')
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  MAILKEEP_LOG_LEVEL: LogLevel = 'info';

  @EnvVar(
    'Base URL of an OTLP/HTTP collector (e.g. http://otel-collector:4318); traces are not exported when unset.',
  )
  @IsOptional()
  @IsUrlWithProtocol(['http', 'https'], { message: 'must be an http:// or https:// URL' })
  MAILKEEP_OTLP_ENDPOINT?: string;

  @EnvVar('Port of the Prometheus /metrics endpoint when a service runs as its own process.')
  @IsOptional()
  @ToInt()
  @IsInt(PORT)
  @Min(1, PORT)
  @Max(65535, PORT)
  MAILKEEP_METRICS_PORT?: number;
}
