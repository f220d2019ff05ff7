import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import {
  buildMailCorpus,
  freePort,
  type RunningDovecot,
  type RunningPlatform,
  startDovecot,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { archiveApi, type RunBody } from './support/archive-api.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Traces end to end (issue 22, item 5): an OTLP/HTTP receiver in this process collects what every
 * service exports (MAILKEEP_OTLP_ENDPOINT); a run started through the REST API with a W3C
 * `traceparent` produces one trace that links the HTTP request, the scheduler's dispatch, the
 * JetStream work message, the connector's task and the catalog's insert, across request–reply and
 * JetStream hops.
 */
interface OtlpValue {
  stringValue?: string;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
  resource: Record<string, string | undefined>;
}

let bootstrapKey = '';
const received: ReceivedSpan[] = [];
let receiver: Server;
let started: E2ePlatform;
let dovecot: RunningDovecot;
let platform: RunningPlatform;
let tenant = '';
let admin = '';

const { call, cataloguedCount, singleImapSchedule } = archiveApi(() => ({
  baseUrl: platform.baseUrl,
  bootstrapKey,
  adminKey: admin,
  tenant,
}));

/** The OTLP/HTTP JSON protocol's traces endpoint, as a collector serves it. */
async function startReceiver(): Promise<number> {
  const port = await freePort();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || !req.headers['content-type']?.includes('json')) {
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const attributes = Object.fromEntries(resource.attributes.map((a) => [a.key, a.value.stringValue]));
        for (const { spans } of scopeSpans) {
          for (const span of spans) {
            received.push({ ...span, service: attributes['service.name'] ?? '?', resource: attributes });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  return port;
}

beforeAll(async () => {
  const [port] = await Promise.all([startReceiver(), startDovecot().then((running) => (dovecot = running))]);
  for (const message of buildMailCorpus({ largeAttachmentBytes: 0, domain: 'traces.test' }).slice(0, 3)) {
    await dovecot.deliver('alice', 'INBOX', message.raw);
  }
  started = await startE2ePlatform({
    database: 'traces_e2e',
    services: [...CORE_SERVICES, 'connector-imap'],
    env: {
      MAILKEEP_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      // The SDK's batch delay (OTEL_BSP_*): spans reach the receiver within half a second.
      OTEL_BSP_SCHEDULE_DELAY: '500',
    },
    options: { mailServers: [dovecot] },
    tenant: 'Traced Ltd',
  });
  ({ platform, bootstrapKey, tenant, adminKey: admin } = started);
}, 180_000);

afterAll(async () => {
  await started?.stop();
  await dovecot?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('one trace from the REST API to the catalog', () => {
  it('links the HTTP request, the dispatch, the work message, the connector task and the catalog insert', async () => {
    const { mailboxId, scheduleId } = await singleImapSchedule({
      username: 'alice',
      password: 'alice-pass',
      primaryAddress: 'alice@traces.test',
      port: dovecot.ports.imaps,
    });

    // The caller's W3C trace context: the platform's spans join this trace.
    const traceId = randomBytes(16).toString('hex');
    const started = await fetch(`${platform.baseUrl}/api/v1/tenants/${tenant}/schedules/${scheduleId}/run`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
    });
    expect(started.status).toBe(201);
    const runId = ((await started.json()) as RunBody).id;
    await waitFor(
      async () => (await call<RunBody>('GET', `/tenants/${tenant}/runs/${runId}`)).body.finishedAt !== null,
      { timeoutMs: 60_000, intervalMs: 200, description: 'the run finished' },
    );
    await cataloguedCount(mailboxId, 3);

    const catalogued = (spans: ReceivedSpan[]) =>
      spans.filter(
        (span) => span.service === 'mailkeep-catalog' && span.name.startsWith('archive.evt.message.archived'),
      );
    // Each service exports on its own schedule: wait for the last span of each of them.
    const expected = [
      ['mailkeep-api', 'POST /api/v1/tenants/:tenantId/schedules/:id/run'],
      ['mailkeep-scheduler', 'connector.cmd.imap.archive-mailbox.v1 publish'],
      ['mailkeep-connector-imap', 'connector.cmd.imap.archive-mailbox.v1 process'],
    ];
    const trace = await waitFor(
      () => {
        const spans = received.filter((span) => span.traceId === traceId);
        const complete =
          catalogued(spans).length === 3 &&
          expected.every(([service, name]) =>
            spans.some((span) => span.service === service && span.name === name),
          );
        return complete ? spans : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the spans of the run exported by every service' },
    );
    const summary = trace.map((span) => `${span.service}: ${span.name} (kind ${span.kind})`).join('\n');
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const one = (service: string, name: string, kind: number) => {
      const found = trace.filter(
        (span) => span.service === service && span.name === name && span.kind === kind,
      );
      expect(found, `${service} ${name}\n${summary}`).toHaveLength(1);
      return found[0] as ReceivedSpan;
    };
    /** Whether `ancestor` is `span`'s parent or a parent of its parent… within the trace. */
    const descends = (span: ReceivedSpan, ancestor: ReceivedSpan): boolean => {
      for (let at = byId.get(span.parentSpanId ?? ''); at; at = byId.get(at.parentSpanId ?? '')) {
        if (at.spanId === ancestor.spanId) return true;
      }
      return false;
    };
    const [SERVER, CLIENT, PRODUCER, CONSUMER] = [2, 3, 4, 5];

    // HTTP: the api's server span continues the caller's context.
    const http = one('mailkeep-api', 'POST /api/v1/tenants/:tenantId/schedules/:id/run', SERVER);
    // Request–reply over NATS: api → scheduler.
    const ask = one('mailkeep-api', 'scheduler.req.schedule.run-now.v1 request', CLIENT);
    const dispatch = one('mailkeep-scheduler', 'scheduler.req.schedule.run-now.v1 process', SERVER);
    expect(ask.parentSpanId).toBe(http.spanId);
    expect(dispatch.parentSpanId).toBe(ask.spanId);
    // JetStream: the scheduler's work message → the connector's task.
    const work = one('mailkeep-scheduler', 'connector.cmd.imap.archive-mailbox.v1 publish', PRODUCER);
    const task = one('mailkeep-connector-imap', 'connector.cmd.imap.archive-mailbox.v1 process', CONSUMER);
    expect(descends(work, dispatch)).toBe(true);
    expect(task.parentSpanId).toBe(work.spanId);
    // The connector resolves its secret by request–reply inside the task.
    const resolve = one('mailkeep-connector-imap', 'secrets.req.secret.resolve.v2 request', CLIENT);
    expect(descends(resolve, task)).toBe(true);
    // JetStream again: each archived message's event → the catalog's insert of it.
    const announced = trace.filter((span) => span.name === 'archive.evt.message.archived.v1 publish');
    expect(announced).toHaveLength(3);
    for (const publish of announced) {
      expect(publish.service).toBe('mailkeep-connector-imap');
      expect(descends(publish, task)).toBe(true);
    }
    for (const insert of catalogued(trace)) {
      expect(insert.kind).toBe(CONSUMER);
      expect(announced.map((publish) => publish.spanId)).toContain(insert.parentSpanId);
    }
    // One connected trace: every span's parent is in it, but the caller's own.
    const roots = trace.filter((span) => !byId.has(span.parentSpanId ?? ''));
    expect(roots, summary).toEqual([http]);
    const services = new Set(trace.map((span) => span.service));
    expect(services.size, summary).toBeGreaterThanOrEqual(5);
    // OpenTelemetry resource conventions: service.name, and an instance id per process.
    for (const span of trace) {
      expect(span.resource['service.name']).toMatch(/^mailkeep-[a-z0-9-]+$/);
      expect(span.resource['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  }, 120_000);
});
