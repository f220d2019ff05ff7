import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../load-config.js';
import { M365Env } from './m365.env.js';

describe('M365Env', () => {
  it('defaults to the global Microsoft cloud and reads overrides', () => {
    expect(loadConfig(M365Env, {})).toMatchObject({
      MAILKEEP_M365_AUTHORITY_URL: 'https://login.microsoftonline.com',
      MAILKEEP_M365_GRAPH_URL: 'https://graph.microsoft.com',
      MAILKEEP_M365_REQUESTS_IN_FLIGHT: 16,
    });
    expect(
      loadConfig(M365Env, { MAILKEEP_M365_GRAPH_URL: 'https://graph.microsoft.us' }).MAILKEEP_M365_GRAPH_URL,
    ).toBe('https://graph.microsoft.us');
  });

  it('refuses plain http endpoints and out-of-range caps, naming the variable', () => {
    expect(() =>
      loadConfig(M365Env, { MAILKEEP_M365_AUTHORITY_URL: 'http://login.microsoftonline.com' }),
    ).toThrow(/MAILKEEP_M365_AUTHORITY_URL/);
    for (const bad of ['0', '257', 'many']) {
      expect(() => loadConfig(M365Env, { MAILKEEP_M365_REQUESTS_IN_FLIGHT: bad })).toThrow(ConfigError);
    }
  });
});
