import { Writable } from 'node:stream';

import {
  ContractError,
  defineCommand,
  defineRequest,
  SERVICE_PING_V1,
  type StreamDefinition,
} from '@mailkeep/contracts';
import { createLogger, startTelemetry } from '@mailkeep/observability';
import { TEST_NATS_URL, testStream, uniqueToken, waitFor } from '@mailkeep/testing';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  type INestMicroservice,
  Module,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { IsString } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type Delivery,
  type GiveUp,
  HandleMessage,
  HandleRequest,
  MessageBus,
  MessageBusServer,
  MessagingModule,
  type RequestContext,
  useBusEnhancers,
} from '../index.js';

/**
 * A Nest microservice on the bus transport, as runService builds one: controllers with
 * @HandleRequest / @HandleMessage, the tracing interceptor and the ContractError filter, a guard of
 * its own. One app serves every case; each case has its own subjects.
 */
class Greeting {
  @IsString()
  name!: string;
}
class GreetingReply {
  @IsString()
  text!: string;
}
class Job {
  @IsString()
  id!: string;
}

const token = uniqueToken();
const serviceName = `nest-test-${token}`;
const GREET = defineRequest({
  subject: `${token}.req.greeting.say.v1`,
  request: Greeting,
  reply: GreetingReply,
});
const GUARDED = defineRequest({
  subject: `${token}.req.greeting.guarded.v1`,
  request: Greeting,
  reply: GreetingReply,
});
const stream: StreamDefinition = testStream(token, 'cmd');
const JOB = defineCommand({ subject: `${token}.cmd.job.run.v1`, payload: Job, stream });

/** What the job handler saw and what the consumer gave up on, in order. */
const handled: { id: string; deliveryCount: number }[] = [];
const givenUp: GiveUp<Job>[] = [];
const logged: { level: string; msg: string; subject?: string }[] = [];

/** Lets through only names that start with a capital: a Nest guard on a bus handler. */
class CapitalisedNames implements CanActivate {
  canActivate(execution: ExecutionContext): boolean {
    const { name } = execution.switchToRpc().getData<Greeting>();
    if (!/^[A-Z]/.test(name)) throw new ContractError('FORBIDDEN', 'Names start with a capital');
    return true;
  }
}

@Controller()
class GreetingController {
  @HandleRequest(GREET)
  greet(@Payload() { name }: Greeting, @Ctx() context: RequestContext): Promise<GreetingReply> {
    if (name === 'nobody') throw new ContractError('NOT_FOUND', 'No such person');
    if (name === 'crash') throw new Error('database password=hunter2 refused');
    return Promise.resolve({ text: `Hello, ${name} (${context.subject})` });
  }

  @HandleRequest(GUARDED)
  @UseGuards(CapitalisedNames)
  guarded({ name }: Greeting): Promise<GreetingReply> {
    return Promise.resolve({ text: `Welcome, ${name}` });
  }
}

@Controller()
class JobController {
  @HandleMessage(JOB, {
    durable: `jobs-${token}`,
    concurrency: 2,
    // Quick retries: the test waits for the second delivery.
    retry: { maxDeliver: 3, backoffMs: [50] },
    onGiveUp: (giveUp) => {
      givenUp.push(giveUp as GiveUp<Job>);
    },
  })
  async run(@Payload() job: Job, @Ctx() delivery: Delivery): Promise<void> {
    handled.push({ id: job.id, deliveryCount: delivery.deliveryCount });
    delivery.working();
    if (job.id.startsWith('flaky') && delivery.deliveryCount === 1) throw new Error('database restarting');
    if (job.id.startsWith('refused')) throw new ContractError('RULE_VIOLATION', 'This job is not allowed');
    await Promise.resolve();
  }
}

const spans = new InMemorySpanExporter();
const logger = createLogger({
  service: 'nest-test',
  level: 'warn',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(JSON.parse(chunk.toString('utf8')) as (typeof logged)[number]);
      done();
    },
  }),
});
let serviceBus: MessageBus;
let client: MessageBus;
let app: INestMicroservice | undefined;

beforeAll(async () => {
  startTelemetry({
    serviceName: 'nest-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
  });
  serviceBus = await MessageBus.connect({ servers: TEST_NATS_URL, name: serviceName, logger });
  client = await MessageBus.connect({ servers: TEST_NATS_URL, name: 'nest-test-client', logger });

  @Module({
    imports: [MessagingModule.forRoot({ serviceName, bus: serviceBus, logger, streams: [stream] })],
    controllers: [GreetingController, JobController],
  })
  class TestServiceModule {}

  app = await NestFactory.createMicroservice(TestServiceModule, {
    strategy: new MessageBusServer(serviceBus, { serviceName }),
    logger: false,
  });
  useBusEnhancers(app, logger);
  await app.listen();
});

afterAll(async () => {
  await app?.close();
  const jsm = await client.jetstreamManager();
  await jsm.streams.delete(stream.name).catch(() => undefined);
  await client.close();
});

describe('request contracts on the Nest transport', () => {
  it('answers with the validated reply, and the handler gets its context through @Ctx()', async () => {
    expect(await client.request(GREET, { name: 'Ada' })).toEqual({ text: `Hello, Ada (${GREET.subject})` });
  });

  it('rejects an invalid request before the handler, naming the field', async () => {
    const sent = client.connection.request(GREET.subject, JSON.stringify({ name: 42 }), { timeout: 5_000 });
    const reply = await sent;
    expect(reply.headers?.get('Mailkeep-Error')).toBe('VALIDATION');
    expect(reply.json()).toMatchObject({ code: 'VALIDATION', fields: [{ field: 'name' }] });
  });

  it('returns a ContractError as it is, and an unexpected error as INTERNAL without its text', async () => {
    await expect(client.request(GREET, { name: 'nobody' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such person',
    });
    const failure = await client.request(GREET, { name: 'crash' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ContractError);
    expect(failure).toMatchObject({ code: 'INTERNAL', message: `The handler for ${GREET.subject} failed` });
    expect(JSON.stringify(failure)).not.toContain('hunter2');
    // The whole failure is in the service's log (redacted), under the request's subject.
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'request handler failed', subject: GREET.subject }),
    );
  });

  it('applies Nest guards to bus handlers', async () => {
    expect(await client.request(GUARDED, { name: 'Grace' })).toEqual({ text: 'Welcome, Grace' });
    await expect(client.request(GUARDED, { name: 'grace' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers the service ping for its own name only', async () => {
    const pong = await client.request(SERVICE_PING_V1, { service: serviceName });
    expect(pong.service).toBe(serviceName);
    await expect(
      client.request(SERVICE_PING_V1, { service: `${serviceName}-other` }, { timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('traces each request with one span, the child of the requester’s', async () => {
    spans.reset();
    await client.request(GREET, { name: 'Traced' });
    const { requested, processed } = await waitFor(
      () => {
        const all = spans.getFinishedSpans();
        const requested = all.find((span) => span.name === `${GREET.subject} request`);
        const processed = all.filter((span) => span.name === `${GREET.subject} process`);
        return requested && processed.length > 0 ? { requested, processed } : undefined;
      },
      { timeoutMs: 5_000, description: 'request and process spans' },
    );
    expect(processed).toHaveLength(1);
    expect(processed[0]?.kind).toBe(SpanKind.SERVER);
    expect(processed[0]?.spanContext().traceId).toBe(requested.spanContext().traceId);
    expect(processed[0]?.parentSpanContext?.spanId).toBe(requested.spanContext().spanId);
  });
});

describe('commands on the Nest transport', () => {
  it('acks a handled command once, retries an unexpected failure, terminates a permanent one', async () => {
    spans.reset();
    for (const id of ['plain', 'flaky', 'refused']) {
      await client.publish(JOB, { id: `${id}-${token}` }, { msgId: `${id}-${token}` });
    }
    await waitFor(
      () => handled.some((h) => h.id === `flaky-${token}` && h.deliveryCount === 2) && givenUp.length === 1,
      { timeoutMs: 10_000, description: 'the flaky job redelivered and the refused one given up' },
    );
    const jsm = await client.jetstreamManager();
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(stream.name, `jobs-${token}`);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 5_000, description: 'every job acked or terminated' },
    );
    // Plain: once. Flaky: failed, then handled on its second delivery. Refused: once, not retried.
    expect(handled.filter((h) => h.id === `plain-${token}`)).toEqual([
      { id: `plain-${token}`, deliveryCount: 1 },
    ]);
    expect(handled.filter((h) => h.id === `flaky-${token}`).map((h) => h.deliveryCount)).toEqual([1, 2]);
    expect(handled.filter((h) => h.id === `refused-${token}`)).toHaveLength(1);
    expect(givenUp[0]).toMatchObject({
      reason: 'permanent',
      payload: { id: `refused-${token}` },
      error: { code: 'RULE_VIOLATION' },
    });
    // One CONSUMER span per delivery (four), made by the interceptor, none by the bus.
    const processed = spans.getFinishedSpans().filter((span) => span.name === `${JOB.subject} process`);
    expect(processed).toHaveLength(4);
    expect(processed.every((span) => span.kind === SpanKind.CONSUMER)).toBe(true);
  });

  it('terminates an invalid command without calling the handler', async () => {
    const before = handled.length;
    await client.jetstream.publish(JOB.subject, JSON.stringify({ id: 42 }), {
      msgID: `broken-${token}`,
    });
    await waitFor(() => givenUp.length === 2, { timeoutMs: 5_000, description: 'the invalid job given up' });
    expect(givenUp[1]).toMatchObject({ reason: 'invalid', error: { code: 'VALIDATION' } });
    expect(handled.length).toBe(before);
  });

  it('stops serving when the app closes, and leaves the bus to its module', async () => {
    await app?.close();
    app = undefined;
    await expect(client.request(GREET, { name: 'Ada' }, { timeoutMs: 500 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    // MessagingModule closed the service's bus once the app's hooks ran.
    expect(serviceBus.connection.isClosed()).toBe(true);
  });
});
