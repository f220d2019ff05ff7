import { EnvVar, SecretEnv } from '../env-var.js';
import { IsNonEmptyList, IsUrlWithProtocol, ToList } from '../rules.js';

/** Where the NATS cluster is. */
export class NatsEnv {
  /**
   * A list even when one server is given: the NATS client takes `servers: string[]` and tries
   * each in turn, which is how a client survives the loss of one cluster node.
   */
  @EnvVar(
    'NATS server URL(s), nats:// or tls://; a comma-separated list for a cluster; may carry the service user (nats://user:password@host:4222).',
  )
  // It may carry the service's NATS password.
  @SecretEnv()
  @ToList()
  @IsNonEmptyList({ message: 'must be a comma-separated list of nats:// or tls:// URLs' })
  @IsUrlWithProtocol(['nats', 'tls'], {
    each: true,
    message: 'must be a comma-separated list of nats:// or tls:// URLs',
  })
  MAILKEEP_NATS_URL: readonly string[] = ['nats://127.0.0.1:4222'];
}
