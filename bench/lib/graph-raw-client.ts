/**
 * The Graph fake's own ceiling (issue 19, milestone 4): a raw client with nothing of Mailkeep in
 * it. Fetches the given messages' `$value` over HTTPS with Node's fetch, 4 requests in flight per
 * mailbox (Outlook's limit, as the connector keeps), hashes each body with SHA-256 as the blob
 * store does, and prints `{ messages, bytes, seconds, cpuSeconds }` as JSON. Run as a child
 * process of bench/graph-connector.ts (NODE_EXTRA_CA_CERTS set), its argument a JSON job.
 */
import { createHash } from 'node:crypto';

interface Job {
  readonly origin: string;
  readonly token: string;
  readonly mailboxes: readonly { readonly user: string; readonly ids: readonly string[] }[];
}

/** Outlook's per-mailbox concurrency limit: the same pacing the connector uses. */
const IN_FLIGHT_PER_MAILBOX = 4;

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const cpuBefore = process.cpuUsage();
const started = performance.now();
let messages = 0;
let bytes = 0;

async function fetchOne(user: string, id: string): Promise<void> {
  const response = await fetch(
    `${job.origin}/v1.0/users/${encodeURIComponent(user)}/messages/${encodeURIComponent(id)}/$value`,
    {
      headers: { Authorization: `Bearer ${job.token}` },
    },
  );
  if (!response.ok || !response.body) throw new Error(`$value of ${id}: HTTP ${response.status}`);
  const hash = createHash('sha256');
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  hash.digest();
  messages += 1;
}

await Promise.all(
  job.mailboxes.map(async ({ user, ids }) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT_PER_MAILBOX }, async () => {
        while (next < ids.length) await fetchOne(user, ids[next++] as string);
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
