import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

import {
  createTestDatabase,
  type RunningPlatform,
  startPlatform,
  type TestDatabase,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { API_TYPES_PATH, fetchOpenApiDocument, renderApiTypes } from '../apps/console/scripts/api-types.js';

/**
 * The console's API client is typed by src/api/openapi.d.ts, generated from the api's OpenAPI
 * document and committed. When the API changes and nobody regenerates it, this test fails.
 */
let database: TestDatabase;
let platform: RunningPlatform;

beforeAll(async () => {
  database = await createTestDatabase('console_api_types');
  platform = await startPlatform({
    MAILKEEP_DATABASE_URL: database.url,
    MAILKEEP_BOOTSTRAP_API_KEY: `bootstrap_${randomBytes(24).toString('base64url')}`,
  });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
});

describe('the console’s generated API types', () => {
  it('are those of the api’s current OpenAPI document (else: npm run console:api-types)', async () => {
    const rendered = await renderApiTypes(await fetchOpenApiDocument(platform.baseUrl));
    expect(
      rendered === readFileSync(API_TYPES_PATH, 'utf8'),
      'apps/console/src/api/openapi.d.ts is stale: run `npm run console:api-types`',
    ).toBe(true);
  });
});
