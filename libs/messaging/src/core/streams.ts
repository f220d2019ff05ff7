import type { StreamDefinition } from '@mailkeep/contracts';
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

function toStreamConfig(definition: StreamDefinition): Partial<StreamConfig> & { name: string } {
  return {
    name: definition.name,
    subjects: [...definition.subjects],
    retention: definition.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    // File storage: commands and events must survive a NATS restart (SPEC §6 reliability).
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(definition.duplicateWindowMs),
    max_age: nanos(definition.maxAgeMs),
  };
}

/**
 * Creates the stream, or updates the settings we own when it exists. Two services starting at
 * once may both try to create it: the loser sees "already in use" and updates instead.
 */
export async function ensureStream(jsm: JetStreamManager, definition: StreamDefinition): Promise<void> {
  const wanted = toStreamConfig(definition);
  const existing = await jsm.streams.info(definition.name).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (!existing) {
    try {
      await jsm.streams.add(wanted);
      return;
    } catch (error) {
      if (!isAlreadyInUse(error)) throw error;
    }
  }
  const current = existing?.config ?? (await jsm.streams.info(definition.name)).config;
  const drifted =
    JSON.stringify([...current.subjects].sort()) !== JSON.stringify([...(wanted.subjects ?? [])].sort()) ||
    current.duplicate_window !== wanted.duplicate_window ||
    current.max_age !== wanted.max_age;
  if (drifted) await jsm.streams.update(definition.name, { ...current, ...wanted });
}

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}

function isAlreadyInUse(error: unknown): boolean {
  // 10058: stream name already in use with a different configuration; 10065: subjects overlap.
  return error instanceof JetStreamApiError && (error.code === 10058 || error.code === 10065);
}
