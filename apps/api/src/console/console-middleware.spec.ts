import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';

import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { consoleMiddleware } from './console-middleware.js';

let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'mk-console-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  const app = express();
  app.get('/api/v1/health/live', (_request, response) => void response.json({ ok: true }));
  app.use(consoleMiddleware(dist, express.static));
  app.use((_request, response) => void response.status(404).json({ status: 404 }));
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server?.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('the console middleware', () => {
  it('serves the build, with hashed assets cached for good and index.html revalidated', async () => {
    const asset = await fetch(`${base}/assets/index-abc.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const root = await fetch(`${base}/`);
    expect(await root.text()).toContain('<title>console</title>');
    expect(root.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers client-side routes with index.html (deep links)', async () => {
    const page = await fetch(`${base}/t/6f1c/archiving-profiles/new?x=1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
  });

  it('leaves /api, /metrics, other methods and missing assets to the server', async () => {
    expect((await fetch(`${base}/api/v1/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/api`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/t/x`, { method: 'POST' })).status).toBe(404);
  });
});
