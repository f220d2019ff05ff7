import { IsIn, IsInt } from 'class-validator';

import { EnvVar, SecretEnv } from '../env-var.js';
import { IsNonEmptyList, IsUrlWithProtocol, ToInt, ToList } from '../rules.js';

const REPLICAS = {
  message: 'must be 1, 3 or 5 (the JetStream servers each stream and KV bucket is kept on)',
};

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

  /**
   * JetStream keeps each stream and KV bucket on this many servers. One machine runs one server
   * (1); a cluster of three tolerates the loss of any one node only when everything is kept on
   * all three (3). Odd counts only: a replica group needs a majority to elect its leader.
   */
  @EnvVar(
    'Replicas of every JetStream stream and KV bucket: 1 on one NATS server, 3 (or 5) on a NATS cluster; existing streams are updated to it at start-up.',
  )
  @ToInt()
  @IsInt(REPLICAS)
  @IsIn([1, 3, 5], REPLICAS)
  MAILKEEP_NATS_REPLICAS: number = 1;
}
