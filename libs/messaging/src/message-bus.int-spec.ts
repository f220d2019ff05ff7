import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import {
  ContractError,
  defineCommand,
  defineEvent,
  defineRequest,
  type CommandContract,
  type EventContract,
  type StreamDefinition,
} from '@mailkeep/contracts';
import { createLogger, startTelemetry } from '@mailkeep/observability';
import { startNatsServer, TEST_NATS_URL, testStream, uniqueToken, waitFor } from '@mailkeep/testing';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { IsInt, IsString, Min } from 'class-validator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { type ConsumerHandle, type GiveUp, MessageBus } from './index.js';

class EchoRequest {
  @IsString()
  text!: string;
}
class EchoReply {
  @IsString()
  text!: string;
  @IsInt()
  pid!: number;
}
class Job {
  @IsString()
  id!: string;
  @IsInt()
  @Min(0)
  weight!: number;
}

const spans = new InMemorySpanExporter();
const logger = createLogger({ service: 'messaging-test', level: 'fatal' });
const buses: MessageBus[] = [];
const children: ChildProcess[] = [];
const streams: StreamDefinition[] = [];

async function newBus(name = 'messaging-test'): Promise<MessageBus> {
  const bus = await MessageBus.connect({ servers: TEST_NATS_URL, name, logger });
  buses.push(bus);
  return bus;
}

function jobContract(): CommandContract<Job> {
  const token = uniqueToken();
  const stream = testStream(token, 'cmd');
  streams.push(stream);
  return defineCommand({ subject: `${token}.cmd.job.run.v1`, payload: Job, stream });
}

function jobEventContract(): EventContract<Job> {
  const token = uniqueToken();
  const stream = testStream(token, 'evt');
  streams.push(stream);
  return defineEvent({ subject: `${token}.evt.job.done.v1`, payload: Job, stream });
}

/** A bus whose warnings and errors are kept as parsed JSON lines, to see what it logged. */
async function newLoggingBus(): Promise<{ bus: MessageBus; logged: { level: string; msg: string }[] }> {
  const logged: { level: string; msg: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(JSON.parse(chunk.toString('utf8')) as { level: string; msg: string });
      done();
    },
  });
  const bus = await MessageBus.connect({
    servers: TEST_NATS_URL,
    name: 'messaging-test-listener',
    logger: createLogger({ service: 'messaging-test', level: 'warn', destination }),
  });
  buses.push(bus);
  return { bus, logged };
}

beforeAll(() => {
  startTelemetry({
    serviceName: 'messaging-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
  });
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  const [admin] = buses;
  if (admin && !admin.connection.isClosed()) {
    const jsm = await admin.jetstreamManager();
    for (const stream of streams.splice(0)) await jsm.streams.delete(stream.name).catch(() => undefined);
  }
});

afterAll(async () => {
  await Promise.allSettled(buses.map((bus) => bus.close()));
});

describe('request–reply', () => {
  it('answers from another process, and its coded errors come back typed', async () => {
    const responderScript = fileURLToPath(new URL('./testing-fixtures/echo-responder.mjs', import.meta.url));
    const builtLib = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    if (!existsSync(builtLib))
      throw new Error('Build the libraries first (npm run build): the responder runs on dist');
    const echo = defineRequest({
      subject: `${uniqueToken()}.req.echo.say.v1`,
      request: EchoRequest,
      reply: EchoReply,
    });
    const child = spawn(process.execPath, [responderScript, TEST_NATS_URL, echo.subject, 'echo'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`responder exited with ${code}`)));
    });
    const bus = await newBus();

    const reply = await bus.request(echo, { text: 'hello' });
    expect(reply).toEqual({ text: 'HELLO', pid: child.pid });
    expect(reply.pid).not.toBe(process.pid);

    const conflict = await bus.request(echo, { text: 'conflict' }).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(ContractError);
    expect(conflict).toMatchObject({
      code: 'CONFLICT',
      reason: 'in_use',
      references: [{ kind: 'schedule', id: 's-1' }],
    });

    // An unexpected failure crosses as INTERNAL without the responder's internal message.
    const crash = (await bus
      .request(echo, { text: 'crash' })
      .catch((error: unknown) => error)) as ContractError;
    expect(crash.code).toBe('INTERNAL');
    expect(crash.message).not.toContain('secret internal detail');
  });

  it('turns a missing responder into UNAVAILABLE and a silent one into TIMEOUT', async () => {
    const bus = await newBus();
    const nobody = defineRequest({
      subject: `${uniqueToken()}.req.echo.say.v1`,
      request: EchoRequest,
      reply: EchoReply,
    });
    await expect(bus.request(nobody, { text: 'x' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'no_responders',
    });

    const slow = defineRequest({
      subject: `${uniqueToken()}.req.echo.say.v1`,
      request: EchoRequest,
      reply: EchoReply,
    });
    let release: () => void = () => undefined;
    bus.serve(slow, () => new Promise((resolve) => (release = () => resolve({ text: 'late', pid: 1 }))), {
      queue: 'q',
    });
    await bus.connection.flush();
    await expect(bus.request(slow, { text: 'x' }, { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    release();
  });

  it('finds: NOT_FOUND is undefined, any other failure (a missing responder too) still throws', async () => {
    const bus = await newBus();
    const lookup = defineRequest({
      subject: `${uniqueToken()}.req.echo.say.v1`,
      request: EchoRequest,
      reply: EchoReply,
    });
    await expect(bus.find(lookup, { text: 'x' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    bus.serve(
      lookup,
      ({ text }) => {
        if (text === 'missing') throw new ContractError('NOT_FOUND', 'No such echo');
        if (text === 'busy') throw new ContractError('CONFLICT', 'Busy', { reason: 'in_use' });
        return Promise.resolve({ text, pid: process.pid });
      },
      { queue: 'q' },
    );
    await bus.connection.flush();
    await expect(bus.find(lookup, { text: 'here' })).resolves.toEqual({ text: 'here', pid: process.pid });
    await expect(bus.find(lookup, { text: 'missing' })).resolves.toBeUndefined();
    await expect(bus.find(lookup, { text: 'busy' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('rejects an invalid request before the handler runs, naming every bad field', async () => {
    const bus = await newBus();
    const echo = defineRequest({
      subject: `${uniqueToken()}.req.echo.say.v1`,
      request: EchoRequest,
      reply: EchoReply,
    });
    let calls = 0;
    bus.serve(echo, (req) => (calls++, Promise.resolve({ text: req.text, pid: 1 })), { queue: 'q' });
    await bus.connection.flush();
    const raw = await bus.connection.request(echo.subject, JSON.stringify({ text: 42, extra: true }), {
      timeout: 2_000,
    });
    expect(raw.headers?.get('Mailkeep-Error')).toBe('VALIDATION');
    const body = raw.json<{ code: string; fields: { field: string }[] }>();
    expect(body.fields.map((f) => f.field).sort()).toEqual(['extra', 'text']);
    const notJson = await bus.connection.request(echo.subject, 'not json', { timeout: 2_000 });
    expect(notJson.headers?.get('Mailkeep-Error')).toBe('VALIDATION');
    expect(calls).toBe(0);
    // The sender validates too: a bad payload never leaves the process.
    await expect(bus.request(echo, { text: 7 } as unknown as EchoRequest)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('carries the trace context from requester to handler', async () => {
    const bus = await newBus();
    const echo = defineRequest({
      subject: `${uniqueToken()}.req.echo.say.v1`,
      request: EchoRequest,
      reply: EchoReply,
    });
    bus.serve(echo, (req) => Promise.resolve({ text: req.text, pid: 1 }), { queue: 'q' });
    await bus.connection.flush();
    await bus.request(echo, { text: 'trace me' });
    const finished = await waitFor(
      () => {
        const all = spans.getFinishedSpans();
        const client = all.find((s) => s.name === `${echo.subject} request`);
        const server = all.find((s) => s.name === `${echo.subject} process`);
        return client && server ? { client, server } : undefined;
      },
      { timeoutMs: 5_000, description: 'request and process spans' },
    );
    expect(finished.server.spanContext().traceId).toBe(finished.client.spanContext().traceId);
    expect(finished.server.parentSpanContext?.spanId).toBe(finished.client.spanContext().spanId);
  });
});

describe('JetStream work queue', () => {
  it('delivers each command to exactly one of two consumers sharing a durable', async () => {
    const contract = jobContract();
    const [a, b] = [await newBus('worker-a'), await newBus('worker-b')];
    const seen: { id: string; worker: string }[] = [];
    const handles: ConsumerHandle[] = [];
    for (const [bus, worker] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      handles.push(
        await bus.consume(contract, {
          durable: 'workers',
          concurrency: 2,
          handler: async (job) => {
            seen.push({ id: job.id, worker });
            // Work takes a moment, so the other worker is asked for the next messages meanwhile.
            await new Promise((resolve) => setImmediate(resolve));
          },
        }),
      );
    }
    const publisher = await newBus('publisher');
    const ids = Array.from({ length: 60 }, (_, i) => `job-${i}`);
    for (const id of ids) await publisher.publish(contract, { id, weight: 1 }, { msgId: id });
    await waitFor(() => seen.length >= ids.length, { timeoutMs: 15_000, description: 'all jobs processed' });
    await Promise.all(handles.map((handle) => handle.stop({ graceMs: 1_000 })));

    expect(seen.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((s) => s.worker))).toEqual(new Set(['a', 'b']));
    const info = await (await publisher.jetstreamManager()).streams.info(contract.stream.name);
    expect(info.state.messages).toBe(0); // a work queue drops what was acked
  });

  it('de-duplicates a command re-sent with the same Nats-Msg-Id', async () => {
    const contract = jobContract();
    const bus = await newBus();
    const first = await bus.publish(contract, { id: 'once', weight: 1 }, { msgId: 'task-1' });
    const second = await bus.publish(contract, { id: 'once', weight: 1 }, { msgId: 'task-1' });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    const info = await (await bus.jetstreamManager()).streams.info(contract.stream.name);
    expect(info.state.messages).toBe(1);
  });

  it('tells a resend whose first send landed with its ack lost from a true duplicate', async () => {
    const contract = jobEventContract();
    const bus = await newBus();
    const realPublish = bus.jetstream.publish.bind(bus.jetstream);
    // The first send of each call fails as a lost ack would: after it landed, or before it left.
    let failNext: 'after-landing' | 'before-sending' | undefined;
    bus.jetstream.publish = async (...args: Parameters<typeof realPublish>) => {
      const failure = failNext;
      failNext = undefined;
      if (failure === 'before-sending') throw new Error('no ack in time');
      const ack = await realPublish(...args);
      if (failure === 'after-landing') throw new Error('no ack in time');
      return ack;
    };

    failNext = 'after-landing';
    const own = await bus.publish(
      contract,
      { id: 'lost-ack', weight: 1 },
      { msgId: 'm-1', retryForMs: 10_000 },
    );
    expect(own.duplicate).toBe(false);

    const other = await newBus();
    await other.publish(contract, { id: 'earlier', weight: 1 }, { msgId: 'm-2' });
    failNext = 'before-sending';
    const resent = await bus.publish(
      contract,
      { id: 'earlier', weight: 1 },
      { msgId: 'm-2', retryForMs: 10_000 },
    );
    expect(resent.duplicate).toBe(true);

    const info = await (await bus.jetstreamManager()).streams.info(contract.stream.name);
    expect(info.state.messages).toBe(2);
  });

  it('acks a duplicate of the same origin as new, of another origin as a duplicate', async () => {
    const contract = jobEventContract();
    const [killed, retry] = [await newBus(), await newBus()];
    const job = { id: 'm', weight: 1 };
    const again = { msgId: 'm-1', originMayRepeat: true };
    await killed.publish(contract, job, { msgId: 'm-1', origin: 'task-1' });
    const sameTask = await retry.publish(contract, job, { ...again, origin: 'task-1' });
    const otherTask = await retry.publish(contract, job, { ...again, origin: 'task-2' });
    // Without originMayRepeat a first send's duplicate is not looked into.
    const unasked = await retry.publish(contract, job, { msgId: 'm-1', origin: 'task-1' });
    expect(sameTask.duplicate).toBe(false);
    expect(otherTask.duplicate).toBe(true);
    expect(unasked.duplicate).toBe(true);
  });

  it('redelivers after a nak, with the delivery count', async () => {
    const contract = jobContract();
    const bus = await newBus();
    const deliveries: number[] = [];
    await bus.consume(contract, {
      durable: 'nak',
      retry: { maxDeliver: 5, backoffMs: [50] },
      handler: (_job, delivery) => {
        deliveries.push(delivery.deliveryCount);
        if (delivery.deliveryCount < 3) throw new ContractError('TEMPORARY', 'storage busy');
        return Promise.resolve();
      },
    });
    await bus.publish(contract, { id: 'flaky', weight: 1 }, { msgId: 'flaky' });
    await waitFor(() => deliveries.length >= 3, { timeoutMs: 10_000, description: 'three deliveries' });
    expect(deliveries).toEqual([1, 2, 3]);
  });

  it('acks an idempotent consumer’s messages without confirmation, and they stay acked', async () => {
    const contract = jobContract();
    const bus = await newBus();
    const handled: string[] = [];
    await bus.consume(contract, {
      durable: 'idempotent',
      idempotent: true,
      ackWaitMs: 1_000,
      concurrency: 4,
      handler: (job) => (handled.push(job.id), Promise.resolve()),
    });
    for (let i = 0; i < 20; i++)
      await bus.publish(contract, { id: `job-${i}`, weight: 1 }, { msgId: `i-${i}` });
    await waitFor(() => handled.length >= 20, { timeoutMs: 10_000, description: 'twenty jobs handled' });
    const jsm = await bus.jetstreamManager();
    await waitFor(
      async () => (await jsm.consumers.info(contract.stream.name, 'idempotent')).num_ack_pending === 0,
      { timeoutMs: 5_000, description: 'no ack pending' },
    );
    // Past the ack wait, an unacked message would have come back.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(handled.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `job-${i}`).sort());
    const info = await jsm.consumers.info(contract.stream.name, 'idempotent');
    expect(info.num_redelivered).toBe(0);
    expect(info.ack_floor.stream_seq).toBe(info.delivered.stream_seq);
  });

  it('keeps a long handler’s message with heartbeats, sending few however often working() is called', async () => {
    const contract = jobContract();
    const bus = await newBus();
    const observer = await newBus('observer');
    let heartbeats = 0;
    const acks = observer.connection.subscribe(`$JS.ACK.${contract.stream.name}.heartbeats.>`, {
      callback: (_error, msg) => {
        if (msg.string() === '+WPI') heartbeats++;
      },
    });
    await observer.connection.flush();
    const deliveries: number[] = [];
    let done = false;
    await bus.consume(contract, {
      durable: 'heartbeats',
      ackWaitMs: 1_000,
      handler: async (_job, delivery) => {
        deliveries.push(delivery.deliveryCount);
        // 2.5 ack waits of work, telling the server every 5 ms (a connector does so per message).
        const until = Date.now() + 2_500;
        while (Date.now() < until) {
          delivery.working();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        done = true;
      },
    });
    await bus.publish(contract, { id: 'long', weight: 1 }, { msgId: 'long' });
    await waitFor(() => done, { timeoutMs: 10_000, description: 'the long job finished' });
    await observer.connection.flush();
    acks.unsubscribe();
    expect(deliveries).toEqual([1]); // never redelivered while it ran
    // One per second from working() and one per third of the ack wait from the consumer: ~10, not ~500.
    expect(heartbeats).toBeGreaterThanOrEqual(2);
    expect(heartbeats).toBeLessThanOrEqual(15);
  });

  it('redelivers to another consumer when the first dies without acking', async () => {
    const contract = jobContract();
    const dying = await newBus('dying');
    const survivor = await newBus('survivor');
    let dyingGotIt = false;
    // The first worker takes the message and never finishes.
    await dying.consume(contract, {
      durable: 'crash',
      ackWaitMs: 1_000,
      // A well-behaved handler: it only gives up when the consumer asks it to stop.
      handler: (_job, delivery) => (
        (dyingGotIt = true),
        new Promise<void>((_, reject) =>
          delivery.signal.addEventListener('abort', () => reject(new Error('stopped'))),
        )
      ),
    });
    await survivor.publish(contract, { id: 'orphan', weight: 1 }, { msgId: 'orphan' });
    await waitFor(() => dyingGotIt, { timeoutMs: 5_000, description: 'first worker received the job' });
    await dying.connection.close(); // dies: no ack, no nak, no heartbeat any more

    const redelivered: { redelivered: boolean; count: number }[] = [];
    await survivor.consume(contract, {
      durable: 'crash',
      ackWaitMs: 1_000,
      handler: (_job, delivery) => {
        redelivered.push({ redelivered: delivery.redelivered, count: delivery.deliveryCount });
        return Promise.resolve();
      },
    });
    await waitFor(() => redelivered.length > 0, {
      timeoutMs: 10_000,
      description: 'redelivery to the survivor',
    });
    expect(redelivered[0]).toEqual({ redelivered: true, count: 2 });
  });

  it('terminates an invalid command without calling the handler or retrying it', async () => {
    const contract = jobContract();
    const bus = await newBus();
    let handled = 0;
    const givenUp: GiveUp<Job>[] = [];
    await bus.consume(contract, {
      durable: 'strict',
      ackWaitMs: 500,
      handler: () => (handled++, Promise.resolve()),
      onGiveUp: (giveUp) => void givenUp.push(giveUp),
    });
    const hdrs = natsHeaders();
    hdrs.set('Nats-Msg-Id', 'bad-1');
    await bus.jetstream.publish(contract.subject, JSON.stringify({ id: 5, weight: -1 }), { headers: hdrs });
    await waitFor(() => givenUp.length > 0, {
      timeoutMs: 5_000,
      description: 'the invalid command to be terminated',
    });
    expect(givenUp[0]).toMatchObject({ reason: 'invalid', deliveryCount: 1, error: { code: 'VALIDATION' } });
    expect(givenUp[0]?.error.fields?.map((f) => f.field).sort()).toEqual(['id', 'weight']);

    // Publish a valid one behind it: once it is handled, the bad one has had every chance to come back.
    await bus.publish(contract, { id: 'good', weight: 1 }, { msgId: 'good-1' });
    await waitFor(() => handled === 1, { timeoutMs: 5_000, description: 'the valid command' });
    const jsm = await bus.jetstreamManager();
    const info = await waitFor(
      async () => {
        const current = await jsm.consumers.info(contract.stream.name, 'strict');
        return current.num_ack_pending === 0 && current.num_pending === 0 ? current : undefined;
      },
      { timeoutMs: 5_000, description: 'both messages settled' },
    );
    expect(info.num_redelivered).toBe(0);
    expect(givenUp).toHaveLength(1);
    expect(handled).toBe(1);
  });

  it('terminates a permanent failure and reports it once', async () => {
    const contract = jobContract();
    const bus = await newBus();
    const givenUp: GiveUp<Job>[] = [];
    await bus.consume(contract, {
      durable: 'perm',
      handler: () => Promise.reject(new ContractError('AUTH_FAILED', 'password rejected')),
      onGiveUp: (giveUp) => void givenUp.push(giveUp),
    });
    await bus.publish(contract, { id: 'p', weight: 1 }, { msgId: 'p' });
    await waitFor(() => givenUp.length > 0, { timeoutMs: 5_000, description: 'permanent failure' });
    expect(givenUp[0]).toMatchObject({
      reason: 'permanent',
      payload: { id: 'p' },
      error: { code: 'AUTH_FAILED' },
    });
  });
});

describe('recording give-ups', () => {
  it('retries a give-up whose callback failed, and terminates only once it is recorded', async () => {
    const contract = jobContract();
    const bus = await newBus();
    const attempts: number[] = [];
    const recorded: GiveUp<Job>[] = [];
    await bus.consume(contract, {
      durable: 'record',
      retry: { maxDeliver: 2, backoffMs: [50] },
      handler: () => Promise.reject(new ContractError('TEMPORARY', 'mailbox server down')),
      onGiveUp: (giveUp) => {
        attempts.push(giveUp.deliveryCount);
        // The first attempt to record the failure fails (say, NATS was briefly unreachable).
        if (attempts.length === 1) throw new Error('could not publish the failure');
        recorded.push(giveUp);
      },
    });
    await bus.publish(contract, { id: 'doomed', weight: 1 }, { msgId: 'doomed' });
    await waitFor(() => recorded.length > 0, {
      timeoutMs: 10_000,
      description: 'the give-up to be recorded',
    });
    expect(attempts).toEqual([2, 3]);
    expect(recorded[0]).toMatchObject({ reason: 'exhausted', payload: { id: 'doomed' } });
    const jsm = await bus.jetstreamManager();
    const settled = await waitFor(
      async () => {
        const info = await jsm.consumers.info(contract.stream.name, 'record');
        return info.num_ack_pending === 0 && info.num_pending === 0 ? info : undefined;
      },
      { description: 'the message to be terminated' },
    );
    expect(settled.num_ack_pending).toBe(0);
    expect(recorded).toHaveLength(1);
  });
});

describe('live subscriptions', () => {
  it('delivers valid events in arrival order, skips invalid ones with a warning, stops on unsubscribe', async () => {
    const contract = jobEventContract();
    const { bus: listener, logged } = await newLoggingBus();
    const publisher = await newBus('publisher');
    const seen: Job[] = [];
    const subscription = listener.subscribe(contract, (job) => seen.push(job));
    await listener.connection.flush();

    // Published through the stream (with acks) and as bare core messages, valid and not, mixed.
    await publisher.publish(contract, { id: 'first', weight: 1 }, { msgId: 'first' });
    publisher.connection.publish(contract.subject, 'not json');
    publisher.connection.publish(contract.subject, JSON.stringify({ id: 'negative', weight: -1 }));
    const burst = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
    // Payloads of very different sizes validate in different times; arrival order must still hold.
    for (const [i, id] of burst.entries()) {
      publisher.connection.publish(
        contract.subject,
        JSON.stringify({ id: id + ' '.repeat(i * 500), weight: i }),
      );
    }
    await publisher.publish(contract, { id: 'last', weight: 2 }, { msgId: 'last' });

    await waitFor(() => seen.some((job) => job.id === 'last'), { description: 'the last event' });
    expect(seen.map((job) => job.id.trimEnd())).toEqual(['first', ...burst, 'last']);
    expect(seen[0]).toBeInstanceOf(Job);
    const warnings = logged.filter((line) => line.msg === 'invalid event skipped');
    expect(warnings).toHaveLength(2);
    expect(warnings.every((line) => line.level === 'warn')).toBe(true);

    subscription.unsubscribe();
    subscription.unsubscribe(); // twice is harmless
    const probe: Job[] = [];
    listener.subscribe(contract, (job) => probe.push(job));
    await listener.connection.flush();
    await publisher.publish(contract, { id: 'after', weight: 3 }, { msgId: 'after' });
    await waitFor(() => probe.length === 1, { description: 'the probe to see the event' });
    expect(seen.map((job) => job.id)).not.toContain('after');
  });

  it('calls the handlers of different subjects in the order the messages arrived', async () => {
    const token = uniqueToken();
    const stream = testStream(token, 'evt');
    streams.push(stream);
    const jobs = defineEvent({ subject: `${token}.evt.job.done.v1`, payload: Job, stream });
    const echoes = defineEvent({ subject: `${token}.evt.echo.said.v1`, payload: EchoReply, stream });
    const { bus: listener } = await newLoggingBus();
    const seen: string[] = [];
    listener.subscribe(jobs, (job) => seen.push(job.id));
    listener.subscribe(echoes, (echo) => seen.push(echo.text));
    await listener.connection.flush();
    const publisher = await newBus('publisher');
    const sent: string[] = [];
    for (let i = 0; i < 100; i++) {
      // An invalid one now and then takes the other path through validation.
      if (i % 7 === 0) publisher.connection.publish(jobs.subject, JSON.stringify({ id: 'bad', weight: -1 }));
      const id = `m-${i}`;
      sent.push(id);
      if (i % 3 === 0) publisher.connection.publish(echoes.subject, JSON.stringify({ text: id, pid: i }));
      else publisher.connection.publish(jobs.subject, JSON.stringify({ id, weight: i }));
    }
    await publisher.connection.flush();
    await waitFor(() => seen.length === sent.length, { description: 'every valid message' });
    expect(seen).toEqual(sent);
  });

  it('keeps delivering after a handler throws, logging the failure', async () => {
    const contract = jobEventContract();
    const { bus: listener, logged } = await newLoggingBus();
    const seen: string[] = [];
    listener.subscribe(contract, (job) => {
      seen.push(job.id);
      if (job.id === 'bad') throw new Error('handler bug');
    });
    await listener.connection.flush();
    const publisher = await newBus('publisher');
    await publisher.publish(contract, { id: 'bad', weight: 1 }, { msgId: 'bad' });
    await publisher.publish(contract, { id: 'good', weight: 1 }, { msgId: 'good' });
    await waitFor(() => seen.length === 2, { description: 'both events' });
    expect(seen).toEqual(['bad', 'good']);
    expect(logged.filter((line) => line.msg === 'event handler failed')).toHaveLength(1);
  });

  it('is ended by close(): no handler call once close has begun', async () => {
    const contract = jobEventContract();
    const { bus: listener } = await newLoggingBus();
    let seen = 0;
    let closing: Promise<void> | undefined;
    const subscription = listener.subscribe(contract, () => {
      seen++;
      // Closing from inside the first call: the events received with it are already on their way.
      closing ??= listener.close();
    });
    await listener.connection.flush();
    const publisher = await newBus('publisher');
    // Many at once, so that they arrive together and wait behind the first one.
    for (let i = 0; i < 500; i++)
      publisher.connection.publish(contract.subject, JSON.stringify({ id: `e-${i}`, weight: i }));
    await publisher.connection.flush();
    await waitFor(() => closing !== undefined, { description: 'close to begin' });
    await closing;
    expect(listener.connection.isClosed()).toBe(true);
    expect(seen).toBe(1);
    subscription.unsubscribe(); // after close: harmless
  });
});

describe('connecting', () => {
  it('authenticates with the user and password written in the URL', async () => {
    const server = await startNatsServer({ user: 'connector', password: 'pa:ss@word' });
    try {
      const [host] = server.url.replace('nats://', '').split('/');
      await expect(
        MessageBus.connect({ servers: server.url, name: 'anonymous', logger }).then((bus) => bus.close()),
      ).rejects.toThrow();
      const bus = await MessageBus.connect({
        servers: `nats://connector:${encodeURIComponent('pa:ss@word')}@${host ?? ''}`,
        name: 'with-credentials',
        logger,
      });
      await bus.connection.flush();
      await bus.close();
    } finally {
      await server.stop();
    }
  });
});

describe('declarations', () => {
  it('declares a stream idempotently, also from two processes at once', async () => {
    const token = uniqueToken();
    const stream = testStream(token, 'evt');
    streams.push(stream);
    const [a, b] = [await newBus(), await newBus()];
    await Promise.all([a.ensureStream(stream), b.ensureStream(stream), a.ensureStream(stream)]);
    const info = await (await a.jetstreamManager()).streams.info(stream.name);
    expect(info.config.subjects).toEqual([`${token}.evt.>`]);
    expect(info.config.retention).toBe('limits');
  });

  it('opens a KV bucket idempotently', async () => {
    const bus = await newBus();
    const bucket = `test_${uniqueToken()}`;
    const kv = await bus.keyValue(bucket);
    await kv.put('cursor.inbox', '42');
    const again = await bus.keyValue(bucket);
    expect((await again.get('cursor.inbox'))?.string()).toBe('42');
    expect(again).toBe(kv); // opened once per bus: a task per mailbox does not pay the open again
    await kv.destroy();
  });
});
