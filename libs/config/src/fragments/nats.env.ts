import { EnvVar } from '../env-var.js';
import { IsNonEmptyList, IsUrlWithProtocol, ToList } from '../rules.js';

/** Where the NATS cluster is. */
export class NatsEnv {
  /**
   * A list even when one server is given: the NATS client takes `servers: string[]` and tries
   * each in turn, which is how a client survives the loss of one cluster node.
   */
  @EnvVar('NATS server URL(s), nats:// or tls://; a comma-separated list for a cluster.')
  @ToList()
  @IsNonEmptyList({ message: 'must be a comma-separated list of nats:// or tls:// URLs' })
  @IsUrlWithProtocol(['nats', 'tls'], {
    each: true,
    message: 'must be a comma-separated list of nats:// or tls:// URLs',
  })
  MAILKEEP_NATS_URL: readonly string[] = ['nats://127.0.0.1:4222'];
}
