import { checkServiceSchema } from '@mailkeep/testing';
import { describe, it } from 'vitest';

import { API_SCHEMA } from './api-schema.js';

describe('api schema', () => {
  it('has migrations that build exactly what the entities describe, and revert cleanly', async () => {
    await checkServiceSchema(API_SCHEMA);
  });
});
