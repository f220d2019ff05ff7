/**
 * The Gmail fake's own ceiling (issue 20, deliverable 6): a raw client with nothing of Mailkeep
 * in it. Fetches the given messages with `messages.get?format=raw` over HTTPS with Node's fetch,
 * the way a plain client does (the whole JSON parsed, then `raw` decoded), with the connector's
 * pacing per mailbox (8 in flight, calls 20 ms apart), hashes each message with SHA-256 as the
 * blob store does, and prints `{ messages, bytes, seconds, cpuSeconds }` as JSON. Run as a child
 * process of bench/gmail-connector.ts (NODE_EXTRA_CA_CERTS set), its argument a JSON job.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

interface Job {
  readonly origin: string;
  readonly mailboxes: readonly {
    readonly user: string;
    readonly token: string;
    readonly ids: readonly string[];
  }[];
}

/** The connector's per-mailbox pacing (apps/connector-google mailbox-gmail.ts). */
const IN_FLIGHT_PER_MAILBOX = 8;
const MIN_INTERVAL_MS = 20;

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const cpuBefore = process.cpuUsage();
const started = performance.now();
let messages = 0;
let bytes = 0;

async function fetchOne(user: string, token: string, id: string): Promise<void> {
  const response = await fetch(
    `${job.origin}/gmail/v1/users/${encodeURIComponent(user)}/messages/${encodeURIComponent(id)}?format=raw`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  if (!response.ok) throw new Error(`messages.get ${id}: HTTP ${response.status}`);
  const message = (await response.json()) as { raw: string };
  const raw = Buffer.from(message.raw, 'base64url');
  createHash('sha256').update(raw).digest();
  bytes += raw.length;
  messages += 1;
}

await Promise.all(
  job.mailboxes.map(async ({ user, token, ids }) => {
    let next = 0;
    let lastCall = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT_PER_MAILBOX }, async () => {
        while (next < ids.length) {
          const id = ids[next++] as string;
          const wait = lastCall + MIN_INTERVAL_MS - performance.now();
          lastCall = Math.max(performance.now(), lastCall + MIN_INTERVAL_MS);
          if (wait > 0) await sleep(wait);
          await fetchOne(user, token, id);
        }
      }),
    );
  }),
);
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  JSON.stringify({
    messages,
    bytes,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }),
);
