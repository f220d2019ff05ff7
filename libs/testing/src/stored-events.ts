import { ARCHIVE_EVENTS_STREAM, type StreamDefinition } from '@mailkeep/contracts';
import type { JetStreamClient } from '@nats-io/jetstream';

/**
 * What this needs of a MessageBus (structural: the messaging library's own tests use this library,
 * so it cannot import messaging back).
 */
interface StreamReader {
  readonly jetstream: JetStreamClient;
  ensureStream(definition: StreamDefinition): Promise<void>;
}

/** Messages per pull: keeps one pull's payload small on a stream of big events. */
const PULL_BATCH = 1_000;
/** How long one pull waits; a local server answers in milliseconds. */
const PULL_EXPIRES_MS = 1_000;

/**
 * Every event of one subject stored in a stream (the archive events by default), in stream order:
 * what remains after the stream's Nats-Msg-Id de-duplication, unlike a core subscription, which
 * also sees the dropped duplicates. Read with an ordered consumer filtered on the subject.
 */
export async function storedEvents<T>(
  bus: StreamReader,
  subject: string,
  stream: StreamDefinition = ARCHIVE_EVENTS_STREAM,
): Promise<T[]> {
  await bus.ensureStream(stream);
  const consumer = await bus.jetstream.consumers.get(stream.name, { filter_subjects: subject });
  const total = (await consumer.info(true)).num_pending;
  const found: T[] = [];
  while (found.length < total) {
    const batch = await consumer.fetch({
      max_messages: Math.min(PULL_BATCH, total - found.length),
      expires: PULL_EXPIRES_MS,
    });
    const before = found.length;
    for await (const message of batch) found.push(message.json<T>());
    if (found.length === before) throw new Error(`${subject}: read ${before} of ${total} stored events`);
  }
  return found;
}
