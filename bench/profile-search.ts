/**
 * Profile search at scale (issue 9, deliverable 6; SPEC §6 "profile search stays fast at 100,000
 * profiles"): the api, profiles, secrets and directory services on a fresh database; one tenant
 * whose first profile is created through the API, then 100,000 more inserted in bulk into the
 * profiles service's own table (`profiles.profile`, copying that profile's settings, unique
 * names), ANALYZE, and `GET /tenants/{t}/archiving-profiles?search=…` through the API: p50 / p95 /
 * max per kind of search term, after a warm-up.
 *
 * Alone: `npx node bench/profile-search.ts [--scale 0.01]` (prints JSON).
 */
import pg from 'pg';

import { scaleFromArgs } from '#lib/args';
import { percentile, round } from '#lib/measure';
import { createTenant, restClient, startBenchPlatform } from '#lib/services';

/** The size. */
export const FULL_PROFILES = 100_000;
/** Requests per search term: enough for a stable p95 (the 19th of 20). */
const REQUESTS_PER_TERM = 40;
/** Untimed requests first: connection pools, query plans and caches warm. */
const WARM_UP_REQUESTS = 20;
/** Departments in the generated names: a common word matches 1/8 of the profiles. */
const DEPARTMENTS = ['sales', 'finance', 'legal', 'support', 'research', 'hr', 'ops', 'board'];

export interface SearchLatency {
  readonly term: string;
  readonly kind: string;
  readonly matches: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export async function measureProfileSearch(
  scale: number,
  log: (line: string) => void,
): Promise<{ profiles: number; insertSeconds: number; results: SearchLatency[] }> {
  const count = Math.max(100, Math.round(FULL_PROFILES * scale));
  const platform = await startBenchPlatform({
    workers: 0,
    services: ['api', 'directory', 'secrets', 'profiles'],
  });
  const db = new pg.Client({ connectionString: platform.database.url });
  try {
    await db.connect();
    const { tenantId, key } = await createTenant(platform, 'Bench profiles');
    const call = restClient(platform.baseUrl, () => key);
    const t = `/tenants/${tenantId}`;
    const secret = await call<{ id: string }>('POST', `${t}/secrets`, {
      name: 'imap user',
      type: 'basic',
      username: 'someone',
      password: 'secret-pass',
    });
    const mailbox = await call<{ id: string }>('POST', `${t}/mailboxes`, {
      primaryAddress: 'someone@example.com',
    });
    const template = await call<{ id: string }>('POST', `${t}/archiving-profiles`, {
      name: 'Template profile',
      type: 'imap',
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      serverName: 'imap.example.com',
      protocol: 'imap-ssl',
    });
    const started = performance.now();
    // Names "<Department> mailbox 000123 <Department>-team": unique, with shared words.
    await db.query(
      `INSERT INTO profiles.profile
         (id, tenant_id, name, name_key, type, mode, credentials_secret_id, mailbox_id,
          directory_service_id, delete_in_source, settings, version, created_at, updated_at)
       SELECT gen_random_uuid(), p.tenant_id, n.name, lower(n.name), p.type, p.mode, p.credentials_secret_id,
              p.mailbox_id, p.directory_service_id, p.delete_in_source, p.settings, 1,
              p.created_at + make_interval(secs => g / 1000.0), p.created_at + make_interval(secs => g / 1000.0)
         FROM profiles.profile p,
              generate_series(1, $2::int) AS g,
              LATERAL (SELECT initcap(($3::text[])[1 + g % 8]) || ' mailbox ' || lpad(g::text, 6, '0') || ' ' ||
                              ($3::text[])[1 + g % 8] || '-team' AS name) AS n
        WHERE p.id = $1`,
      [template.id, count, DEPARTMENTS],
    );
    await db.query('ANALYZE profiles.profile');
    const insertSeconds = (performance.now() - started) / 1000;
    log(`  ${count} profiles inserted in ${insertSeconds.toFixed(1)} s`);

    const some = String(Math.ceil(count / 2)).padStart(6, '0');
    const terms: { term: string; kind: string }[] = [
      { term: `mailbox ${some}`, kind: 'a unique name part' },
      { term: 'finance-team', kind: 'a common word (1/8 of the profiles)' },
      { term: 'mailbox', kind: 'a word in every name' },
      { term: 'nowhere-to-be-found', kind: 'no match' },
      { term: template.id, kind: 'a whole id' },
    ];
    const search = async (term: string) => {
      const began = performance.now();
      const page = await call<{ items: unknown[] }>(
        'GET',
        `${t}/archiving-profiles?search=${encodeURIComponent(term)}`,
      );
      return { ms: performance.now() - began, matches: page.items.length };
    };
    for (let i = 0; i < WARM_UP_REQUESTS; i++) await search(terms[i % terms.length]?.term ?? 'x');
    const results: SearchLatency[] = [];
    for (const { term, kind } of terms) {
      const times: number[] = [];
      let matches = 0;
      for (let i = 0; i < REQUESTS_PER_TERM; i++) {
        const r = await search(term);
        times.push(r.ms);
        matches = r.matches;
      }
      times.sort((a, b) => a - b);
      const result = {
        term,
        kind,
        matches,
        p50Ms: round(percentile(times, 50), 1),
        p95Ms: round(percentile(times, 95), 1),
        maxMs: round(times[times.length - 1] ?? NaN, 1),
      };
      log(`  search ${kind}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms (first page: ${matches})`);
      results.push(result);
    }
    return { profiles: count + 1, insertSeconds, results };
  } finally {
    await db.end().catch(() => undefined);
    await platform.stop();
  }
}

if (import.meta.main) {
  const result = await measureProfileSearch(scaleFromArgs(), (line) => console.error(line));
  console.log(JSON.stringify(result, null, 2));
}
