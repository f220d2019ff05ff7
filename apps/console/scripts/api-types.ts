/**
 * Generates the console's API types (src/api/openapi.d.ts) from the api's OpenAPI document.
 *
 *   npm run console:api-types                 # starts a throw-away platform (needs PostgreSQL, NATS)
 *   npm run console:api-types -- <base url>   # reads <base url>/api/v1/openapi.json of a running api
 *
 * The platform runs from dist: `npm run build` first. test/console-api-types.e2e-spec.ts fails when
 * the committed file differs from what this renders, so the client never drifts from the API.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import * as prettier from 'prettier';

export const API_TYPES_PATH = fileURLToPath(new URL('../src/api/openapi.d.ts', import.meta.url));

const HEADER =
  '// Generated from the api’s /api/v1/openapi.json by apps/console/scripts/api-types.ts.\n' +
  '// Do not edit: run `npm run console:api-types` after changing the API.\n\n';

/** The TypeScript declarations of the document, formatted like every other file of the repo. */
export async function renderApiTypes(document: unknown): Promise<string> {
  const ast = await openapiTS(document as OpenAPI3, {
    // `nullable: true` in the document (nextCursor) becomes `| null`.
    defaultNonNullable: false,
  });
  const options = await prettier.resolveConfig(API_TYPES_PATH);
  return prettier.format(HEADER + astToString(ast), { ...options, filepath: API_TYPES_PATH });
}

export async function fetchOpenApiDocument(baseUrl: string): Promise<unknown> {
  const response = await fetch(new URL('/api/v1/openapi.json', baseUrl));
  if (!response.ok) throw new Error(`GET /api/v1/openapi.json answered ${response.status}`);
  return response.json();
}

async function documentOfThrowAwayPlatform(): Promise<unknown> {
  // Imported only here: the testing library (and a database of its own) is needed only without a URL.
  const { createTestDatabase, startPlatform } = await import('@mailkeep/testing');
  const database = await createTestDatabase('console_api_types');
  try {
    const platform = await startPlatform({ MAILKEEP_DATABASE_URL: database.url });
    try {
      return await fetchOpenApiDocument(platform.baseUrl);
    } finally {
      await platform.stop();
    }
  } finally {
    await database.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const baseUrl = process.argv[2];
  const document = baseUrl ? await fetchOpenApiDocument(baseUrl) : await documentOfThrowAwayPlatform();
  await writeFile(API_TYPES_PATH, await renderApiTypes(document));
  process.stdout.write(`wrote ${API_TYPES_PATH}\n`);
}
