/**
 * What the Nest transport (decision 0023) costs per message: the same events consumed, and the
 * same requests answered, once by a handler on the MessageBus directly and once by a controller
 * method served by MessageBusServer (Nest's handler pipeline, the tracing interceptor and the
 * ContractError filter around it), alternately, in one process on a private NATS. The handler does
 * nothing, so the difference is the transport's own CPU time; the catalog spends ~300 µs of CPU
 * per archived event (bench/catalog-ingest.ts), which puts the difference in proportion.
 *
 * Not a test: run after a build with
 *
 *   flock /tmp/mailkeep-build.lock npm run build && npx node bench/nest-transport.ts [N] [ROUNDS]
 *
 * It prints JSON: CPU µs per message of each way in each round, the medians and their difference.
 */
import { createHash } from 'node:crypto';

import {
  defineEvent,
  defineRequest,
  MESSAGE_ARCHIVED_V1,
  type MessageArchivedEvent,
  SERVICE_PING_V1,
} from '@mailkeep/contracts';
import {
  HandleMessage,
  HandleRequest,
  MessageBus,
  MessageBusServer,
  MessagingModule,
  useBusEnhancers,
} from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { startNatsServer, testStream, uniqueToken, waitFor } from '@mailkeep/testing';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ownCpuSeconds } from '#lib/measure';

const MESSAGES = Number(process.argv[2] ?? 5_000);
const ROUNDS = Number(process.argv[3] ?? 2);
/** Requests in flight at once: enough to keep the responder busy without queueing in NATS. */
const REQUESTS_IN_FLIGHT = 32;
/** Like the catalog's consumer (two batches' worth of archived events at once). */
const CONCURRENCY = 200;

const logger = createLogger({ service: 'bench', level: 'warn' });
const token = uniqueToken();
const stream = testStream(token, 'evt');
const ARCHIVED = defineEvent({
  subject: `${token}.evt.message.archived.v1`,
  payload: MESSAGE_ARCHIVED_V1.payload,
  stream,
});
const PING = defineRequest({
  subject: `${token}.req.service.ping.v1`,
  request: SERVICE_PING_V1.request,
  reply: SERVICE_PING_V1.reply,
});

let handled = 0;
const pong = { service: 'bench', instanceId: 'bench', startedAt: new Date(0).toISOString() };

const nats = await startNatsServer();
const client = await MessageBus.connect({ servers: nats.url, name: 'bench-client', logger });
try {
  await client.ensureStream(stream);
  for (let n = 0; n < MESSAGES; n++) {
    await client.publish(ARCHIVED, eventOf(n), { msgId: `${token}-${n}` });
  }
  const rounds: { direct: Costs; nest: Costs }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rounds.push({ direct: await measure(round, 'direct'), nest: await measure(round, 'nest') });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const summary = (way: 'direct' | 'nest', what: keyof Costs) => median(rounds.map((r) => r[way][what]));
  process.stdout.write(
    `${JSON.stringify(
      {
        messages: MESSAGES,
        rounds,
        cpuMicrosecondsPerMessage: {
          event: { direct: summary('direct', 'event'), nest: summary('nest', 'event') },
          request: { direct: summary('direct', 'request'), nest: summary('nest', 'request') },
        },
        nestAddsMicroseconds: {
          event: summary('nest', 'event') - summary('direct', 'event'),
          request: summary('nest', 'request') - summary('direct', 'request'),
        },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await client.close();
  await nats.stop();
}

interface Costs {
  /** CPU µs of this process per event consumed (the handler does nothing). */
  event: number;
  /** CPU µs per request answered, the requester's side included (the same for both ways). */
  request: number;
}

/** One round of one way: all events through a fresh durable consumer, then MESSAGES requests. */
async function measure(round: number, way: 'direct' | 'nest'): Promise<Costs> {
  const bus = await MessageBus.connect({ servers: nats.url, name: `bench-${way}`, logger });
  const durable = `${way}-${round}`;
  let close: () => Promise<void>;
  handled = 0;
  // Measured from the start of consumption: Nest's module scan (app.init) happens before it.
  let eventsStarted = ownCpuSeconds();
  if (way === 'direct') {
    const consumer = await bus.consume(ARCHIVED, {
      durable,
      concurrency: CONCURRENCY,
      idempotent: true,
      handler: () => {
        handled++;
        return Promise.resolve();
      },
    });
    const subscription = bus.serve(PING, () => Promise.resolve(pong), { queue: 'bench' });
    close = async () => {
      subscription.unsubscribe();
      await consumer.stop();
      await bus.close();
    };
  } else {
    const app = await NestFactory.createMicroservice(benchModule(bus, durable), {
      strategy: new MessageBusServer(bus, { serviceName: `bench-${way}` }),
      logger: false,
    });
    useBusEnhancers(app, logger);
    await app.init();
    eventsStarted = ownCpuSeconds();
    await app.listen();
    close = () => app.close();
  }
  await waitFor(() => handled >= MESSAGES, { timeoutMs: 300_000, intervalMs: 5, description: 'all events' });
  const event = ((ownCpuSeconds() - eventsStarted) / MESSAGES) * 1e6;

  const requestsStarted = ownCpuSeconds();
  let sent = 0;
  await Promise.all(
    Array.from({ length: REQUESTS_IN_FLIGHT }, async () => {
      while (sent < MESSAGES) {
        sent++;
        await client.request(PING, { service: 'bench' });
      }
    }),
  );
  const request = ((ownCpuSeconds() - requestsStarted) / MESSAGES) * 1e6;
  await close();
  return { event: Math.round(event), request: Math.round(request) };
}

/** The same two handlers as a Nest controller (decorators applied by hand: no decorator syntax here). */
function benchModule(bus: MessageBus, durable: string) {
  class BenchController {
    archived(): Promise<void> {
      handled++;
      return Promise.resolve();
    }
    ping(): Promise<typeof pong> {
      return Promise.resolve(pong);
    }
  }
  const method = (name: keyof BenchController) =>
    [
      BenchController.prototype,
      name,
      Object.getOwnPropertyDescriptor(BenchController.prototype, name)!,
    ] as const;
  HandleMessage(ARCHIVED, { durable, concurrency: CONCURRENCY, idempotent: true })(...method('archived'));
  HandleRequest(PING)(...method('ping'));
  Controller()(BenchController);
  class BenchModule {}
  Module({
    imports: [MessagingModule.forRoot({ serviceName: 'bench-nest', bus, logger })],
    controllers: [BenchController],
  })(BenchModule);
  return BenchModule;
}

/** A typical archived event, as bench/catalog-ingest.ts publishes them. */
function eventOf(n: number): MessageArchivedEvent {
  return {
    tenantId: '6f1c3a52-3f4e-4d7b-9a51-0c2d8e7f6a10',
    mailboxId: '0b9e2d4c-1a3f-4e5b-8c7d-6e5f4a3b2c1d',
    runId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
    taskId: '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a',
    sourceIdentity: `imap:INBOX:1700000000:${n}`,
    folder: n % 3 === 0 ? 'Archive/2024' : 'INBOX',
    sha256: createHash('sha256').update(String(n)).digest('hex'),
    size: 4_000 + (n % 50_000),
    created: true,
    messageId: `<${n}@mail.example.com>`,
    subject: n % 4 === 0 ? `=?utf-8?Q?R=C3=A9union_n=C2=B0${n}?=` : `Weekly report ${n}`,
    from: `"Sender ${n % 97}" <sender${n % 97}@example.com>`,
    to: `team-${n % 13}@example.com, "Jörg Müller" <jm@example.de>`,
    date: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toUTCString(),
    archivedAt: new Date().toISOString(),
  };
}
