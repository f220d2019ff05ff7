/**
 * The container image's health check (deploy/Dockerfile HEALTHCHECK, deploy/compose.yaml): exits 0
 * when the URL answers 2xx within three seconds, else 1. Node has fetch, the slim image no curl.
 *   node apps/mailkeep/dist/healthcheck.js [url]   (default: a service's readiness on its metrics port)
 */
const url = process.argv[2] ?? 'http://127.0.0.1:9464/health/ready';

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
