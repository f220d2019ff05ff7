import type { StreamDefinition } from '@mailkeep/contracts';
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

function toStreamConfig(
  definition: StreamDefinition,
  replicas: number,
): Partial<StreamConfig> & { name: string } {
  return {
    name: definition.name,
    subjects: [...definition.subjects],
    retention: definition.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    // File storage: commands and events must survive a NATS restart (SPEC §6 reliability).
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(definition.duplicateWindowMs),
    max_age: nanos(definition.maxAgeMs),
    num_replicas: replicas,
  };
}

/**
 * Creates the stream, or updates the settings we own when it exists — its replica count included,
 * so a platform moved from one NATS server to a cluster replicates its existing streams at the
 * next start. Two services starting at once may both try to create it: the loser sees "already in
 * use" and updates instead. A replica count the servers cannot hold fails with ReplicasMismatchError.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  definition: StreamDefinition,
  replicas = 1,
): Promise<void> {
  const wanted = toStreamConfig(definition, replicas);
  const existing = await jsm.streams.info(definition.name).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (!existing) {
    try {
      await jsm.streams.add(wanted);
      return;
    } catch (error) {
      if (!isAlreadyInUse(error)) throw asReplicasError(error, definition.name, undefined, replicas);
    }
  }
  const info = existing ?? (await jsm.streams.info(definition.name));
  const current = info.config;
  const drifted =
    JSON.stringify([...current.subjects].sort()) !== JSON.stringify([...(wanted.subjects ?? [])].sort()) ||
    current.duplicate_window !== wanted.duplicate_window ||
    current.max_age !== wanted.max_age ||
    current.num_replicas !== replicas;
  if (!drifted) return;
  await updateStream(jsm, { ...current, ...wanted }, info);
}

/**
 * Brings the replica count of an existing stream (a KV bucket's `KV_<name>` too) to `replicas`,
 * leaving the rest of its configuration as it is.
 */
export async function ensureReplicas(jsm: JetStreamManager, stream: string, replicas: number): Promise<void> {
  const info = await jsm.streams.info(stream);
  if (info.config.num_replicas === replicas) return;
  await updateStream(jsm, { ...info.config, num_replicas: replicas }, info);
}

/** Longest wait for a stream whose replica count changed to elect its leader again. */
const LEADER_WAIT_MS = 20_000;

/**
 * Updates a stream. When its replica count changes, NATS rebuilds the stream's Raft group: until
 * the group has a leader again, publishes find no responder. So the update returns only once the
 * leader is there, and fails when NATS kept another count (a single server ignores the change).
 */
async function updateStream(jsm: JetStreamManager, config: StreamConfig, before: StreamInfo): Promise<void> {
  const wanted = config.num_replicas;
  const current = before.config.num_replicas;
  // A server outside a cluster accepts a higher count on update and keeps one copy all the same.
  if (wanted > 1 && !before.cluster) {
    throw new ReplicasMismatchError(config.name, current, wanted, 'the NATS server is not part of a cluster');
  }
  let info: StreamInfo;
  try {
    info = await jsm.streams.update(config.name, config);
  } catch (error) {
    throw asReplicasError(error, config.name, current, wanted);
  }
  if (info.config.num_replicas !== wanted) {
    throw new ReplicasMismatchError(config.name, current, wanted, `it kept ${info.config.num_replicas}`);
  }
  if (current === wanted || !info.cluster) return;
  const deadline = Date.now() + LEADER_WAIT_MS;
  while (!(await jsm.streams.info(config.name)).cluster?.leader) {
    if (Date.now() > deadline) {
      throw new ReplicasMismatchError(config.name, current, wanted, 'no leader was elected in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The stream exists with another replica count than MAILKEEP_NATS_REPLICAS asks for, or cannot be
 * created with it, and NATS refused the change: typically 3 replicas asked of a single server or
 * of a cluster with fewer JetStream nodes. The service stops at start-up with this message rather
 * than run with less redundancy than the operator configured.
 */
export class ReplicasMismatchError extends Error {
  constructor(
    readonly stream: string,
    readonly current: number | undefined,
    readonly wanted: number,
    cause: unknown,
  ) {
    const has = current === undefined ? 'cannot be created' : `has ${current} replica(s)`;
    super(
      `JetStream stream ${stream} ${has} with MAILKEEP_NATS_REPLICAS=${wanted}, and NATS refused: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. ` +
        `Run a NATS cluster with at least ${wanted} JetStream servers, or set MAILKEEP_NATS_REPLICAS to what it has.`,
      { cause },
    );
    this.name = 'ReplicasMismatchError';
  }
}

function asReplicasError(
  error: unknown,
  stream: string,
  current: number | undefined,
  wanted: number,
): unknown {
  // Only a failure that the replica count can explain is reworded; others pass as they are.
  const asksForReplicas = current === undefined ? wanted > 1 : current !== wanted;
  if (!(error instanceof JetStreamApiError) || !asksForReplicas) return error;
  return new ReplicasMismatchError(stream, current, wanted, error);
}

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}

function isAlreadyInUse(error: unknown): boolean {
  // 10058: stream name already in use with a different configuration; 10065: subjects overlap.
  return error instanceof JetStreamApiError && (error.code === 10058 || error.code === 10065);
}
