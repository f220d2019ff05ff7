import { checkServiceSchema } from '@mailkeep/testing';
import { describe, it } from 'vitest';

import { SECRETS_SCHEMA } from './secrets-schema.js';

describe('secrets schema', () => {
  it('has migrations that build exactly what the entities describe, and revert cleanly', async () => {
    await checkServiceSchema(SECRETS_SCHEMA);
  });
});
