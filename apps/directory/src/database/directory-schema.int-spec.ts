import { checkServiceSchema } from '@mailkeep/testing';
import { describe, it } from 'vitest';

import { DIRECTORY_SCHEMA } from './directory-schema.js';

describe('directory schema', () => {
  it('has migrations that build exactly what the entities describe, and revert cleanly', async () => {
    await checkServiceSchema(DIRECTORY_SCHEMA);
  });
});
