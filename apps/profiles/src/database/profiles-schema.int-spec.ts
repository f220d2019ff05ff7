import { randomUUID } from 'node:crypto';

import { checkServiceSchema } from '@mailkeep/testing';
import { describe, expect, it } from 'vitest';

import { PROFILES_SCHEMA } from './profiles-schema.js';

describe('profiles schema', () => {
  it('has migrations that build exactly the entities, and an index-backed name search', async () => {
    await checkServiceSchema(PROFILES_SCHEMA, async (dataSource) => {
      // 20,000 profiles in one tenant are enough for the planner to prefer the trigram index.
      const tenantId = randomUUID();
      await dataSource.query(
        `INSERT INTO profiles.profile (id, tenant_id, name, name_key, type, mode, credentials_secret_id, mailbox_id, settings)
         SELECT gen_random_uuid(), $1, 'Profile ' || i, 'profile ' || i, 'imap', 'single', gen_random_uuid(), gen_random_uuid(), '{}'
         FROM generate_series(1, 20000) AS i`,
        [tenantId],
      );
      await dataSource.query('ANALYZE profiles.profile');
      const plan = await dataSource.query<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT * FROM profiles.profile WHERE tenant_id = $1 AND (name_key LIKE $2 ESCAPE '\\' OR id = $3::uuid)
         ORDER BY created_at, id LIMIT 51`,
        [tenantId, '%ile 1234%', randomUUID()],
      );
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('ix_profile_name_key_trgm');
      expect(text).not.toMatch(/Seq Scan on profile/);
    });
  });
});
