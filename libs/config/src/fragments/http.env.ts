import { IsInt, IsIP, Max, Min } from 'class-validator';
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

  /**
   * Loopback by default: `npm start` on a laptop or a shared host serves no one else. Containers
   * set `0.0.0.0` (deploy/Dockerfile), where the orchestrator's network is the boundary.
   */
  @EnvVar(
    'Address the HTTP API listens on: 127.0.0.1 (this machine only), 0.0.0.0 or :: (all interfaces), or one address.',
  )
  @IsIP(undefined, { message: 'must be an IP address (127.0.0.1, 0.0.0.0, ::, or an address of this host)' })
  MAILKEEP_HTTP_HOST: string = '127.0.0.1';
}
