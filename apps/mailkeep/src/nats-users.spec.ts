import { describe, expect, it } from 'vitest';

import { natsUrlsAs } from './nats-users.js';

describe('natsUrlsAs', () => {
  it('connects a service as its own NATS user when its password is set', () => {
    const passwords = { MAILKEEP_NATS_PASSWORD_CONNECTOR: 'Pw_1', MAILKEEP_NATS_PASSWORD_API: 'Pw_2' };
    expect(natsUrlsAs('connector', ['nats://127.0.0.1:4222', 'tls://n2.example:4223'], passwords)).toEqual([
      'nats://connector:Pw_1@127.0.0.1:4222',
      'tls://connector:Pw_1@n2.example:4223',
    ]);
    expect(natsUrlsAs('api', ['nats://127.0.0.1:4222'], passwords)).toEqual([
      'nats://api:Pw_2@127.0.0.1:4222',
    ]);
  });

  it('keeps the URLs of a user without a password, and URLs that already name a user', () => {
    expect(natsUrlsAs('catalog', ['nats://127.0.0.1:4222'], {})).toEqual(['nats://127.0.0.1:4222']);
    expect(
      natsUrlsAs('catalog', ['nats://ops:x@127.0.0.1:4222'], { MAILKEEP_NATS_PASSWORD_CATALOG: 'Pw' }),
    ).toEqual(['nats://ops:x@127.0.0.1:4222']);
  });
});
