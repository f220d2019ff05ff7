import { IsInt, Max, Min } from 'class-validator';
import { EnvVar } from '../env-var.js';
import { ToInt } from '../rules.js';

const PORT = { message: 'must be an integer between 1 and 65535' };

/** The HTTP listener of the api gateway (and of the all-in-one launcher). */
export class HttpEnv {
  @EnvVar('Port the HTTP API and console listen on.')
  @ToInt()
  @IsInt(PORT)
  @Min(1, PORT)
  @Max(65535, PORT)
  MAILKEEP_HTTP_PORT: number = 8080;
}
