/**
 * Full text search of bodies and attachments (issue 23): what it costs and how fast it answers.
 *
 * 1. Indexing cost per message: the text indexer's work for one message (the catalog's
 *    `messageContent`: MIME parsing, text extraction, index text) for a plain, an HTML, a PDF and a
 *    DOCX message, against the baseline of the catalog's ingest work per message before it
 *    (`toCatalogRow`: header decoding and row building), in the same process and run.
 * 2. Index size per message: the catalog's table and indexes with header-only vectors (the
 *    baseline) and with body text too, on the same generated messages.
 * 3. Query latency at scale: N messages (1,000,000 at scale 1) of realistic length in one tenant,
 *    words drawn from a 20,000-word vocabulary with a Zipf-like skew, plus a small tenant of 1,000;
 *    the catalog's own search (MessagesRepository, with snippets) per kind of query, p50 / p95,
 *    against browsing the newest page without a query (the baseline), and the small tenant's query
 *    while the big one exists.
 *
 * Needs a build (it loads the catalog from apps/catalog/dist). Alone:
 *   npx node bench/search-index.ts [--scale 0.1]     (prints JSON)
 */
import { createHash, randomUUID } from 'node:crypto';

import { docxDocument, mimeMessage, pdfDocument, createTestDatabase } from '@mailkeep/testing';

import { scaleFromArgs } from '#lib/args';
import { copyRows } from '#lib/copy-rows';
import { percentile, round } from '#lib/measure';

/** The size. */
export const FULL_MESSAGES = 1_000_000;
/** Words of a generated body (a short business mail). */
const BODY_WORDS = 90;
const VOCABULARY = 20_000;
const QUERY_RUNS = 40;
const WARM_UP_RUNS = 10;
const EXTRACTION_RUNS = 60;

export interface SearchIndexResult {
  readonly extraction: { kind: string; ms: number; ratioToIngest: number }[];
  readonly ingestRowMs: number;
  readonly size: { messages: number; headerOnlyBytesPerMessage: number; fullTextBytesPerMessage: number };
  readonly scale: { messages: number; generateSeconds: number; queries: QueryLatency[]; browseP95Ms: number };
}

export interface QueryLatency {
  readonly kind: string;
  readonly q: string;
  readonly matches: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly ratioToBrowse: number;
}

/**
 * mulberry32, a seeded generator of floats in [0, 1) (32-bit integer arithmetic: a float LCG loses
 * bits and cycles early), so every run draws the same corpus.
 */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pronounceable pseudo-words, deterministic: word i is the same in every run. */
function vocabulary(): string[] {
  const onsets = [
    'b',
    'c',
    'd',
    'f',
    'g',
    'k',
    'l',
    'm',
    'n',
    'p',
    'r',
    's',
    't',
    'v',
    'z',
    'br',
    'st',
    'tr',
  ];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ei', 'au'];
  const words = new Set<string>(['contract', 'invoice', 'meeting', 'delivery', 'budget', 'quarterly']);
  const next = seededRandom(23);
  while (words.size < VOCABULARY) {
    const syllables = 2 + Math.floor(next() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++)
      word += onsets[Math.floor(next() * onsets.length)]! + vowels[Math.floor(next() * vowels.length)]!;
    words.add(word);
  }
  return [...words];
}

/**
 * A module of the built catalog (apps/catalog/dist), typed by its source: the bench measures the
 * compiled code the service runs, and type-checks on a fresh clone before anything is built.
 */
function fromCatalog<Module>(path: string): Promise<Module> {
  return import(new URL(`../apps/catalog/dist/${path}`, import.meta.url).href) as Promise<Module>;
}

export async function measureSearchIndex(
  scale: number,
  log: (line: string) => void,
): Promise<SearchIndexResult> {
  const { messageContent } =
    await fromCatalog<typeof import('../apps/catalog/src/text/message-content.js')>(
      'text/message-content.js',
    );
  const { toCatalogRow } =
    await fromCatalog<typeof import('../apps/catalog/src/ingest/catalog-row.js')>('ingest/catalog-row.js');
  const { CATALOG_SCHEMA } = await fromCatalog<
    typeof import('../apps/catalog/src/database/catalog-schema.js')
  >('database/catalog-schema.js');
  const { MessagesRepository } = await fromCatalog<
    typeof import('../apps/catalog/src/messages/messages.repository.js')
  >('messages/messages.repository.js');
  const { parseSearchQuery } =
    await fromCatalog<typeof import('../apps/catalog/src/text/search-query.js')>('text/search-query.js');
  const { createDataSource, runMigrations } = await import('@mailkeep/persistence');
  const { parseHeaderBlock } = await import('@mailkeep/connector-kit');

  // 1. Indexing cost per message, against the ingest row of the same message.
  const words = vocabulary();
  const prose = Array.from({ length: 300 }, (_, i) => words[(i * 7919) % 2000]).join(' ');
  const headers = [
    'From: Anna Schmidt <anna.schmidt@example.de>',
    'To: Bob Miller <bob@example.com>, "Hörst, Kenny" <kenny@example.de>',
    'Subject: =?utf-8?Q?Unterlagen_f=C3=BCr_den_Vertrag?=',
    'Date: Mon, 7 Dec 2026 09:30:00 +0100',
    'Message-ID: <bench-1@example.de>',
  ];
  const kinds: Record<string, Buffer> = {
    'plain text (2 KB)': mimeMessage({ headers, body: prose }),
    'HTML (2 KB)': mimeMessage({ headers, html: true, body: `<html><body><p>${prose}</p></body></html>` }),
    'with a PDF (1 page)': mimeMessage({
      headers,
      body: prose,
      attachments: [
        {
          fileName: 'a.pdf',
          contentType: 'application/pdf',
          bytes: pdfDocument([prose.slice(0, 90), prose.slice(90, 180)]),
        },
      ],
    }),
    'with a DOCX': mimeMessage({
      headers,
      body: prose,
      attachments: [
        {
          fileName: 'a.docx',
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          bytes: docxDocument([prose, prose]),
        },
      ],
    }),
  };
  const time = async (work: () => unknown, runs: number) => {
    for (let i = 0; i < 5; i++) await work();
    const started = performance.now();
    for (let i = 0; i < runs; i++) await work();
    return (performance.now() - started) / runs;
  };
  const event = {
    tenantId: randomUUID(),
    mailboxId: randomUUID(),
    runId: randomUUID(),
    taskId: randomUUID(),
    sourceIdentity: 'imap:INBOX:1:1',
    folder: 'INBOX',
    sha256: 'a'.repeat(64),
    size: 2000,
    created: true,
    archivedAt: new Date().toISOString(),
    ...parseHeaderBlock(Buffer.from(`${headers.join('\r\n')}\r\n`)),
  };
  const ingestRowMs = await time(() => toCatalogRow(event), EXTRACTION_RUNS * 20);
  const extraction = [];
  for (const [kind, raw] of Object.entries(kinds)) {
    const ms = await time(() => messageContent(raw, true), EXTRACTION_RUNS);
    extraction.push({ kind, ms: round(ms, 3), ratioToIngest: round(ms / ingestRowMs, 1) });
    log(`  text extraction, ${kind}: ${ms.toFixed(3)} ms (${(ms / ingestRowMs).toFixed(1)}× the ingest row)`);
  }

  // 2 and 3 on the catalog's own schema.
  const messages = Math.max(2_000, Math.round(FULL_MESSAGES * scale));
  const database = await createTestDatabase('bench_search');
  const dataSource = createDataSource({ url: database.url, ...CATALOG_SCHEMA });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const big = randomUUID();
    const small = randomUUID();
    const started = performance.now();
    // A bulk load: the full text GIN index is built once afterwards, as an operator would restore.
    await dataSource.query(`DROP INDEX catalog.ix_message_search`);
    await generate(database.url, big, messages, words);
    await generate(database.url, small, 1_000, words);
    await checkVectors(dataSource);
    log(`  ${messages} messages loaded with COPY in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // A GIN build sorts its entries in this memory: the default 64 MB makes it spill and merge many times.
    await dataSource.query(`SET maintenance_work_mem = '1GB'`);
    await dataSource.query(
      `CREATE INDEX "ix_message_search" ON "catalog"."message" USING gin ("tenant_id", "search")`,
    );
    await dataSource.query('ANALYZE catalog.message');
    await dataSource.query('ANALYZE catalog.message_content');
    const generateSeconds = (performance.now() - started) / 1000;
    log(`  ${messages} messages generated and indexed in ${generateSeconds.toFixed(0)} s`);

    // Size per message: the whole table and its indexes, and the same without body lexemes.
    const sizeOf = async () =>
      Number(
        (
          await dataSource.query<{ bytes: string }[]>(
            `SELECT pg_total_relation_size('catalog.message') + pg_total_relation_size('catalog.message_content') AS bytes`,
          )
        )[0]!.bytes,
      );
    const fullBytes = await sizeOf();

    const repository = new MessagesRepository(dataSource);
    const queries = [
      { kind: 'browse, newest page (baseline)', q: '' },
      { kind: 'a common word', q: 'contract' },
      { kind: 'two words', q: 'invoice delivery' },
      { kind: 'a rare word', q: words[VOCABULARY - 10]! },
      { kind: 'a phrase', q: `"${words[3]} ${words[4]}"` },
      { kind: 'a prefix', q: `${words[12]!.slice(0, 4)}*` },
      { kind: 'a word with an exclusion', q: 'budget -meeting' },
      { kind: 'no match', q: 'nowheretobefound' },
    ];
    const results: QueryLatency[] = [];
    let browseP95 = NaN;
    const measure = async (tenantId: string, kind: string, q: string) => {
      const filter = { tenantId, ...(q && { q: parseSearchQuery(q) }) };
      for (let i = 0; i < WARM_UP_RUNS; i++) await repository.search(filter, 51);
      const times: number[] = [];
      let matches = 0;
      for (let i = 0; i < QUERY_RUNS; i++) {
        const began = performance.now();
        const rows = await repository.search(filter, 51);
        times.push(performance.now() - began);
        matches = rows.length;
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      if (!q) browseP95 = p95;
      const result = {
        kind,
        q,
        matches,
        p50Ms: round(percentile(times, 50), 1),
        p95Ms: round(p95, 1),
        ratioToBrowse: round(p95 / browseP95, 1),
      };
      log(
        `  ${kind} ${q}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms (${result.ratioToBrowse}× browse; first page ${matches})`,
      );
      results.push(result);
    };
    for (const { kind, q } of queries) await measure(big, kind, q);
    await measure(small, 'small tenant, a common word (beside the big one)', 'contract');

    await dataSource.query(
      `UPDATE catalog.message SET search = ts_filter(search, '{a}') WHERE tenant_id = $1`,
      [big],
    );
    await dataSource.query(
      `UPDATE catalog.message_content SET search = ts_filter(search, '{a}'), excerpt = ''`,
    );
    await dataSource.query('VACUUM FULL catalog.message');
    await dataSource.query('VACUUM FULL catalog.message_content');
    await dataSource.query('REINDEX TABLE catalog.message');
    const headerOnlyBytes = await sizeOf();
    const total = messages + 1_000;
    return {
      extraction,
      ingestRowMs: round(ingestRowMs, 4),
      size: {
        messages: total,
        headerOnlyBytesPerMessage: Math.round(headerOnlyBytes / total),
        fullTextBytesPerMessage: Math.round(fullBytes / total),
      },
      scale: {
        messages,
        generateSeconds: round(generateSeconds, 0),
        queries: results,
        browseP95Ms: round(browseP95, 1),
      },
    };
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}

/** The header words every generated message carries after its subject (one sender). */
const SENDER_WORDS = ['anna', 'schmidt', 'anna.schmidt@example.de'];

/**
 * The tsvector literal that `setweight(to_tsvector('simple', header), 'A') ||
 * setweight(to_tsvector('simple', body), 'D')` gives for these words: vocabulary words are plain
 * lowercase letters, so the simple parser keeps each as it is, numbering positions from 1 across
 * header then body. `checkVectors` compares a sample with PostgreSQL's own.
 */
function searchVector(header: readonly string[], body: readonly string[]): string {
  const positions = new Map<string, string[]>();
  const add = (word: string, position: number, weight: string) => {
    const list = positions.get(word) ?? [];
    list.push(`${position}${weight}`);
    positions.set(word, list);
  };
  header.forEach((word, i) => add(word, i + 1, 'A'));
  body.forEach((word, i) => add(word, header.length + i + 1, ''));
  return [...positions].map(([word, list]) => `'${word}':${list.join(',')}`).join(' ');
}

/**
 * Messages of a tenant as the text indexer leaves them: a subject and body of vocabulary words
 * (skewed: word i has weight ~ 1/i), header words at weight A, body at D, a content row with the
 * excerpt. Generated here and loaded with COPY (two streams, the content rows first): at 1,000,000
 * messages, building the text and vectors inside PostgreSQL took most of an hour on 2 shared cores.
 */
async function generate(
  databaseUrl: string,
  tenantId: string,
  count: number,
  words: readonly string[],
): Promise<void> {
  const mailbox = randomUUID();
  const run = randomUUID();
  const now = Date.now();
  const draw = (random: () => number, n: number) =>
    Array.from({ length: n }, () => words[Math.floor(Math.pow(random(), 2.5) * VOCABULARY)]!);
  // The same seed for both passes: the message rows see the very subjects and vectors of the content rows.
  const messages = function* (): Generator<{
    i: number;
    sha: string;
    subject: string;
    body: string;
    search: string;
  }> {
    const random = seededRandom(count);
    for (let i = 0; i < count; i++) {
      const subject = draw(random, 6);
      const body = draw(random, BODY_WORDS);
      yield {
        i,
        sha: createHash('sha256').update(`${tenantId}${i}`).digest('hex'),
        subject: subject.join(' '),
        body: body.join(' '),
        search: searchVector([...subject, ...SENDER_WORDS], body),
      };
    }
  };
  await copyRows(
    databaseUrl,
    'catalog.message_content',
    ['tenant_id', 'sha256', 'extractor_version', 'search', 'excerpt'],
    (function* () {
      for (const m of messages()) yield [tenantId, m.sha, 1, m.search, m.body];
    })(),
  );
  await copyRows(
    databaseUrl,
    'catalog.message',
    [
      'id',
      'tenant_id',
      'mailbox_id',
      'source_key',
      'source_identity',
      'folder',
      'sha256',
      'size',
      'subject',
      'from_header',
      'from_addresses',
      'from_search',
      'date',
      'sort_at',
      'archived_at',
      'run_id',
      'task_id',
      'search',
      'text_state',
    ],
    (function* () {
      for (const m of messages()) {
        const at = new Date(now - m.i * 60_000).toISOString();
        yield [
          randomUUID(),
          tenantId,
          mailbox,
          m.sha,
          `bench:${m.i}`,
          'INBOX',
          m.sha,
          4000,
          m.subject,
          'Anna Schmidt <anna.schmidt@example.de>',
          '{anna.schmidt@example.de}',
          'anna schmidt <anna.schmidt@example.de>',
          at,
          at,
          new Date(now).toISOString(),
          run,
          run,
          m.search,
          1,
        ];
      }
    })(),
  );
}

/**
 * The generated vectors are what the simple configuration gives for the same text: a sample
 * compared with PostgreSQL's own, so the figures are about the index the catalog really builds.
 */
async function checkVectors(dataSource: { query: <T>(sql: string) => Promise<T> }): Promise<void> {
  const differing = await dataSource.query<{ sha256: string }[]>(
    `SELECT c.sha256 FROM (SELECT * FROM catalog.message_content LIMIT 200) c
       JOIN catalog.message m ON m.tenant_id = c.tenant_id AND m.sha256 = c.sha256
      WHERE c.search <> setweight(to_tsvector('simple', m.subject || ' ${SENDER_WORDS.join(' ')}'), 'A')
                        || setweight(to_tsvector('simple', c.excerpt), 'D')`,
  );
  if (differing.length > 0)
    throw new Error(`generated vectors differ from PostgreSQL's: ${differing.length} of 200`);
}

/** The report's section (docs/benchmarks.md). */
export function searchIndexReport(result: SearchIndexResult): string[] {
  const { extraction, size, scale } = result;
  return [
    '## Full text search (issue 23)',
    '',
    `bench/search-index.ts. Text indexing cost per message (the text indexer's work, in-process), against the catalog's ingest work per message (header decoding and row building: ${result.ingestRowMs} ms):`,
    '',
    '| message | ms per message | × the ingest row |',
    '|---|---:|---:|',
    ...extraction.map((e) => `| ${e.kind} | ${e.ms} | ${e.ratioToIngest} |`),
    '',
    `Size per message (table, TOAST and indexes of \`catalog.message\` and \`catalog.message_content\`, ${size.messages} generated messages with a ${BODY_WORDS}-word body): ${size.fullTextBytesPerMessage} bytes with body text indexed, ${size.headerOnlyBytesPerMessage} bytes with headers only (${round(size.fullTextBytesPerMessage / size.headerOnlyBytesPerMessage, 2)}×).`,
    '',
    `Search latency at ${scale.messages} messages in one tenant (generated and indexed in ${scale.generateSeconds} s), the catalog's query with snippets for a first page of 50, after a warm-up:`,
    '',
    '| query | `q` | first page | p50 ms | p95 ms | p95 × browse |',
    '|---|---|---:|---:|---:|---:|',
    ...scale.queries.map(
      (r) =>
        `| ${r.kind} | \`${r.q.replace(/\|/g, '\\|')}\` | ${r.matches} | ${r.p50Ms} | ${r.p95Ms} | ${r.ratioToBrowse} |`,
    ),
    '',
  ];
}

if (import.meta.main) {
  const result = await measureSearchIndex(scaleFromArgs(), (line) => console.error(line));
  console.log(JSON.stringify(result, null, 2));
}
