import { describe, expect, it } from 'vitest';

import { inboxPrefixOf, serversAndCredentials } from '../index.js';

describe('serversAndCredentials', () => {
  it('takes credentials out of NATS URLs', () => {
    expect(serversAndCredentials('nats://connector:p%40ss@nats:4222')).toEqual({
      servers: ['nats://nats:4222'],
      user: 'connector',
      pass: 'p@ss',
    });
    expect(serversAndCredentials('nats://a:1@n1:4222, tls://n2:4222')).toEqual({
      servers: ['nats://n1:4222', 'tls://n2:4222'],
      user: 'a',
      pass: '1',
    });
    expect(serversAndCredentials(['nats://127.0.0.1:4222'])).toEqual({ servers: ['nats://127.0.0.1:4222'] });
  });
});

describe('inboxPrefixOf', () => {
  it('gives each NATS user its own reply inbox, as deploy/nats/nats-server.conf allows it', () => {
    expect(inboxPrefixOf('connector')).toBe('_INBOX_connector');
    // Dots and wildcards would split or widen the subject; they become underscores.
    expect(inboxPrefixOf('a.b*c>')).toBe('_INBOX_a_b_c_');
  });
});
