import { ConfigError, loadConfig } from '../load-config.js';
import { describe, expect, it } from 'vitest';

import { ConnectorWorkerEnv } from './connector.env.js';

describe('ConnectorWorkerEnv', () => {
  it('defaults to four mailboxes at once and reads a valid override', () => {
    expect(loadConfig(ConnectorWorkerEnv, {}).MAILKEEP_CONNECTOR_CONCURRENCY).toBe(4);
    expect(
      loadConfig(ConnectorWorkerEnv, { MAILKEEP_CONNECTOR_CONCURRENCY: '12' }).MAILKEEP_CONNECTOR_CONCURRENCY,
    ).toBe(12);
  });

  it('refuses a value that is not an integer between 1 and 64, naming the variable', () => {
    for (const bad of ['0', '65', '2.5', 'four', '0x10']) {
      expect(() => loadConfig(ConnectorWorkerEnv, { MAILKEEP_CONNECTOR_CONCURRENCY: bad })).toThrow(
        ConfigError,
      );
      expect(() => loadConfig(ConnectorWorkerEnv, { MAILKEEP_CONNECTOR_CONCURRENCY: bad })).toThrow(
        /MAILKEEP_CONNECTOR_CONCURRENCY/,
      );
    }
  });
});
