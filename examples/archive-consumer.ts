/**
 * A consumer of Mailkeep's archive event stream (docs/events.md), using the NATS JetStream client
 * directly, as an internal service (e-discovery, indexing, billing) would.
 *
 *   node examples/archive-consumer.ts [--server nats://127.0.0.1:4222] [--subject archive.evt.>]
 *        [--from-seq N | --since 2025-01-01T00:00:00Z] [--durable NAME] [--max N]
 *
 * Prints one JSON line per event: `{ seq, subject, time, msgId, event }`, and acknowledges it.
 * - `--from-seq N` starts at stream sequence N, `--since <ISO time>` at the first event stored at
 *   or after that time; without either it starts with the oldest event the stream keeps (30 days).
 * - `--durable NAME` keeps the position on the server under that name: run it again and it goes on
 *   where it stopped (a start option then only applies when the consumer is first created).
 *   Without it, an ephemeral consumer is used and removed by the server a minute after it exits.
 * - `--max N` exits after N events (default: runs until interrupted).
 */
import { parseArgs } from 'node:util';

import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';

/** The stream every archive event is kept on (docs/events.md). */
const STREAM = 'ARCHIVE_EVENTS';
/** An ephemeral consumer disappears this long after its client went away. */
const EPHEMERAL_INACTIVE_MS = 60_000;
/** Redelivered when not acknowledged within this time (a crashed consumer's events come back). */
const ACK_WAIT_MS = 30_000;

function usage(problem: string): never {
  process.stderr.write(
    `${problem}\nusage: node examples/archive-consumer.ts [--server URL] [--subject SUBJECT] ` +
      `[--from-seq N | --since ISO-TIME] [--durable NAME] [--max N]\n`,
  );
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.MAILKEEP_NATS_URL ?? 'nats://127.0.0.1:4222' },
    subject: { type: 'string', default: 'archive.evt.>' },
    'from-seq': { type: 'string' },
    since: { type: 'string' },
    durable: { type: 'string' },
    max: { type: 'string' },
  },
  strict: true,
});

const fromSeq = values['from-seq'] === undefined ? undefined : Number(values['from-seq']);
if (fromSeq !== undefined && !(Number.isSafeInteger(fromSeq) && fromSeq >= 1)) {
  usage('--from-seq must be a stream sequence number (1 or more)');
}
const since = values.since === undefined ? undefined : new Date(values.since);
if (since !== undefined && Number.isNaN(since.getTime())) usage('--since must be an ISO-8601 time');
if (fromSeq !== undefined && since !== undefined) usage('give --from-seq or --since, not both');
const max = values.max === undefined ? Infinity : Number(values.max);
if (!(max >= 1)) usage('--max must be 1 or more');

/** Where a new consumer starts: the deliver policy of the JetStream consumer. */
function startAt(): Partial<ConsumerConfig> {
  if (fromSeq !== undefined) return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq };
  if (since !== undefined)
    return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: since.toISOString() };
  return { deliver_policy: DeliverPolicy.All };
}

const connection = await connect({ servers: values.server, name: 'archive-consumer-example' });
const jsm = await jetstreamManager(connection);
const config: Partial<ConsumerConfig> = {
  filter_subject: values.subject,
  ack_policy: AckPolicy.Explicit,
  ack_wait: nanos(ACK_WAIT_MS),
  ...startAt(),
};

let name: string;
if (values.durable !== undefined) {
  name = values.durable;
  const existing = await jsm.consumers.info(STREAM, name).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)
      return undefined;
    throw error;
  });
  if (!existing) await jsm.consumers.add(STREAM, { ...config, durable_name: name });
  else if (fromSeq !== undefined || since !== undefined) {
    process.stderr.write(`consumer ${name} exists: it goes on from its own position\n`);
  }
} else {
  const info = await jsm.consumers.add(STREAM, {
    ...config,
    inactive_threshold: nanos(EPHEMERAL_INACTIVE_MS),
  });
  name = info.name;
}

const consumer = await jetstream(connection).consumers.get(STREAM, name);
const messages = await consumer.consume();
const stop = () => void messages.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

let seen = 0;
for await (const message of messages) {
  const line = {
    seq: message.seq,
    subject: message.subject,
    time: message.time.toISOString(),
    msgId: message.headers?.get('Nats-Msg-Id') ?? null,
    event: message.json<unknown>(),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  // Acknowledged once handled: with a durable consumer, an event not acked is delivered again.
  await message.ackAck();
  if (++seen >= max) break;
}
await connection.drain();
