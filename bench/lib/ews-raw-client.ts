/**
 * The EWS fake's own ceiling (issue 21): a raw client with nothing of Mailkeep in it. Sends one
 * GetItem (MimeContent) per message over HTTPS with Basic auth and impersonation, 2 requests in
 * flight per mailbox (as the connector keeps), cuts the base64 out of the response, decodes and
 * hashes it with SHA-256 as the blob store does, and prints `{ messages, bytes, seconds,
 * cpuSeconds }` as JSON. Run as a child process of bench/ews-connector.ts (NODE_EXTRA_CA_CERTS
 * set), its argument a JSON job.
 */
import { createHash } from 'node:crypto';

interface Job {
  readonly url: string;
  readonly login: string;
  readonly password: string;
  readonly mailboxes: readonly { readonly smtp: string; readonly ids: readonly string[] }[];
}

const IN_FLIGHT_PER_MAILBOX = 2;

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const authorization = `Basic ${Buffer.from(`${job.login}:${job.password}`).toString('base64')}`;
const cpuBefore = process.cpuUsage();
const started = performance.now();
let messages = 0;
let bytes = 0;

function getItem(smtp: string, id: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">' +
    `<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/><t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${smtp}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header>` +
    '<soap:Body><m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="item:MimeContent"/></t:AdditionalProperties></m:ItemShape>' +
    `<m:ItemIds><t:ItemId Id="${id}"/></m:ItemIds></m:GetItem></soap:Body></soap:Envelope>`
  );
}

async function fetchOne(smtp: string, id: string): Promise<void> {
  const response = await fetch(job.url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'text/xml; charset=utf-8', 'x-anchormailbox': smtp },
    body: getItem(smtp, id),
  });
  const text = await response.text();
  const start = text.indexOf('>', text.indexOf('<t:MimeContent')) + 1;
  const end = text.indexOf('</t:MimeContent>', start);
  if (!response.ok || start <= 0 || end < 0) throw new Error(`GetItem of ${id}: HTTP ${response.status}`);
  const mime = Buffer.from(text.slice(start, end), 'base64');
  createHash('sha256').update(mime).digest();
  bytes += mime.length;
  messages += 1;
}

await Promise.all(
  job.mailboxes.map(async ({ smtp, ids }) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT_PER_MAILBOX }, async () => {
        while (next < ids.length) await fetchOne(smtp, ids[next++] as string);
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
