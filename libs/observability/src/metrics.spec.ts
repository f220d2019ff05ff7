import { describe, expect, it } from 'vitest';
import { createMetrics, renderMetrics, startMetricsServer } from './index.js';

describe('createMetrics', () => {
  it('registers metrics with the service label and process metrics', async () => {
    const metrics = createMetrics({ service: 'catalog' });
    const counter = metrics.counter({
      name: 'mailkeep_messages_archived_total',
      help: 'Messages archived.',
      labelNames: ['connector'],
    });
    counter.inc({ connector: 'imap' }, 3);
    metrics
      .histogram({ name: 'mailkeep_message_bytes', help: 'Message sizes.', buckets: [1024, 1048576] })
      .observe(2048);
    metrics.gauge({ name: 'mailkeep_queue_lag', help: 'Pending tasks.' }).set(7);
    const { contentType, body } = await renderMetrics(metrics.registry);
    expect(contentType).toContain('text/plain');
    expect(body).toContain('mailkeep_messages_archived_total{connector="imap",service="catalog"} 3');
    expect(body).toContain('mailkeep_message_bytes_bucket{le="1048576",service="catalog"} 1');
    expect(body).toContain('mailkeep_queue_lag{service="catalog"} 7');
    expect(body).toContain('process_cpu_user_seconds_total{service="catalog"}');
  });

  it('returns the existing metric for a repeated name, refuses another kind', () => {
    const metrics = createMetrics({ service: 's' });
    const first = metrics.counter({ name: 'c_total', help: 'c' });
    expect(metrics.counter({ name: 'c_total', help: 'c' })).toBe(first);
    expect(() => metrics.gauge({ name: 'c_total', help: 'c' })).toThrow('already registered');
  });

  it('keeps registries of two services apart', async () => {
    const a = createMetrics({ service: 'a' });
    const b = createMetrics({ service: 'b' });
    a.counter({ name: 'only_in_a_total', help: 'x' }).inc();
    expect((await renderMetrics(b.registry)).body).not.toContain('only_in_a_total');
  });
});

describe('startMetricsServer', () => {
  it('answers GET /metrics with the registry, and nothing else', async () => {
    const metrics = createMetrics({ service: 'scheduler' });
    metrics.counter({ name: 'mailkeep_runs_total', help: 'Runs.' }).inc(5);
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: metrics.registry });
    try {
      expect(server.port).toBeGreaterThan(0);
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toContain('mailkeep_runs_total{service="scheduler"} 5');
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
    await expect(fetch(`http://127.0.0.1:${server.port}/metrics`)).rejects.toThrow();
  });

  it('answers the orchestrator probes: live always, ready while the service says so', async () => {
    let ready = true;
    const metrics = createMetrics({ service: 'catalog' });
    const server = await startMetricsServer({ port: 0, registry: metrics.registry, ready: () => ready });
    const probe = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`).then((res) => res.status);
    try {
      expect(await probe('/health/live')).toBe(200);
      expect(await probe('/health/ready')).toBe(200);
      ready = false;
      expect(await probe('/health/ready')).toBe(503);
      expect(await probe('/health/live')).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const { registry } = createMetrics({ service: 'x' });
    const first = await startMetricsServer({ port: 0, host: '127.0.0.1', registry });
    try {
      await expect(startMetricsServer({ port: first.port, host: '127.0.0.1', registry })).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });
});
