import { domainToASCII } from 'node:url';

import { describe, expect, it } from 'vitest';

import { checkMailAddress } from './mail-address.js';

describe('checkMailAddress', () => {
  it('normalises the domain to lower-case ASCII and keys the whole address in lower case', () => {
    expect(checkMailAddress(' Ada.Lovelace@Example.COM ')).toEqual({
      address: 'Ada.Lovelace@example.com',
      key: 'ada.lovelace@example.com',
    });
    expect(checkMailAddress('Δοκιμή@Παράδειγμα.ΔΟΚΙΜΉ')).toEqual({
      address: `Δοκιμή@${domainToASCII('παράδειγμα.δοκιμή')}`,
      key: `δοκιμή@${domainToASCII('παράδειγμα.δοκιμή')}`,
    });
  });

  it.each(['a b@x.org', '"a"@x.org', 'a@x', 'a@@x.org', 'a@x..org', 'a\u0000b@x.org', 'a@x.org.', 'a@[::1]'])(
    'refuses %j',
    (input) => {
      expect(checkMailAddress(input)).toHaveProperty('error');
    },
  );
});
