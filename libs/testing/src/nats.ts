import { randomBytes } from 'node:crypto';

import type { StreamDefinition } from '@mailkeep/contracts';

/** The NATS server the tests use; the test command makes sure it runs. */
export const TEST_NATS_URL = process.env.MAILKEEP_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * A token unique to one test, usable in subjects (lowercase) and stream names, so that test files
 * running in parallel on one NATS server never see each other's messages.
 */
export function uniqueToken(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** A stream of its own for one test: `<token>.cmd.>` or `<token>.evt.>` subjects. */
export function testStream(
  token: string,
  kind: 'cmd' | 'evt',
  retention: StreamDefinition['retention'] = kind === 'cmd' ? 'workqueue' : 'limits',
): StreamDefinition {
  return {
    name: `TEST_${token.toUpperCase()}_${kind.toUpperCase()}`,
    subjects: [`${token}.${kind}.>`],
    retention,
    // Long enough that a re-sent message inside a test is recognised as a duplicate.
    duplicateWindowMs: 60_000,
    // Test streams expire on their own if a test dies before deleting them.
    maxAgeMs: 10 * 60_000,
  };
}
