import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { API_TYPES_PATH, fetchOpenApiDocument, renderApiTypes } from '../apps/console/scripts/api-types.js';
import { type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The console's API client is typed by src/api/openapi.d.ts, generated from the api's OpenAPI
 * document and committed. When the API changes and nobody regenerates it, this test fails.
 */
let started: E2ePlatform;

beforeAll(async () => {
  // The OpenAPI document is the api's alone.
  started = await startE2ePlatform({ database: 'console_api_types', services: ['api'] });
}, 180_000);

afterAll(async () => {
  await started?.stop();
});

describe('the console’s generated API types', () => {
  it('are those of the api’s current OpenAPI document (else: npm run console:api-types)', async () => {
    const rendered = await renderApiTypes(await fetchOpenApiDocument(started.platform.baseUrl));
    expect(
      rendered === readFileSync(API_TYPES_PATH, 'utf8'),
      'apps/console/src/api/openapi.d.ts is stale: run `npm run console:api-types`',
    ).toBe(true);
  });
});
