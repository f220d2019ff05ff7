import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../load-config.js';
import { EgressEnv } from './egress.env.js';

describe('EgressEnv', () => {
  it('defaults to no extra entries and reads comma-separated lists', () => {
    expect({ ...loadConfig(EgressEnv, {}) }).toEqual({ MAILKEEP_EGRESS_ALLOW: [], MAILKEEP_EGRESS_DENY: [] });
    const env = loadConfig(EgressEnv, {
      MAILKEEP_EGRESS_ALLOW: '127.0.0.1:10993, [::1]:10993',
      MAILKEEP_EGRESS_DENY: '10.0.0.0/8,[fd00::/8]:25',
    });
    expect(env.MAILKEEP_EGRESS_ALLOW).toEqual(['127.0.0.1:10993', '[::1]:10993']);
    expect(env.MAILKEEP_EGRESS_DENY).toEqual(['10.0.0.0/8', '[fd00::/8]:25']);
  });

  it.each([
    ['MAILKEEP_EGRESS_ALLOW', 'localhost:10993'],
    ['MAILKEEP_EGRESS_ALLOW', '127.0.0.1:10993,::1'],
    ['MAILKEEP_EGRESS_ALLOW', '127.0.0.1:0'],
    ['MAILKEEP_EGRESS_DENY', '10.1.2.3/8'],
    ['MAILKEEP_EGRESS_DENY', '10.0.0.0/33'],
    ['MAILKEEP_EGRESS_DENY', '2130706433'],
  ])('stops start-up on a bad entry of %s, naming the variable and not the value (%s)', (variable, value) => {
    let error: unknown;
    try {
      loadConfig(EgressEnv, { [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables).toEqual([variable]);
    expect((error as ConfigError).message).toContain(`${variable} must be a comma-separated list of`);
    expect((error as ConfigError).message).not.toContain(value);
  });
});
