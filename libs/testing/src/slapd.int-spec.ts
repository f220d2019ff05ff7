import { Client, InvalidCredentialsError, SizeLimitExceededError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { guidBytes } from './slapd-seed.js';
import { waitFor } from './wait-for.js';
import { type RunningSlapd, startSlapd } from './slapd.js';

let slapd: RunningSlapd;

beforeAll(async () => {
  slapd = await startSlapd();
});

afterAll(async () => {
  await slapd?.stop();
});

describe('the slapd test harness', () => {
  it('serves the seed over LDAPS to the reader account, plain searches capped, paged ones complete', async () => {
    const { directory } = slapd;
    const client = new Client({ url: `ldaps://localhost:${slapd.ports.ldaps}` });
    try {
      await client.bind(directory.readerDn, directory.readerPassword);
      const base = `ou=Staff,${directory.suffix}`;
      await expect(client.search(base, { filter: '(mail=*)' })).rejects.toBeInstanceOf(
        SizeLimitExceededError,
      );
      const before = slapd.searches().length;
      const paged = await client.search(base, {
        filter: '(mail=*)',
        attributes: ['mail', 'objectGUID', 'memberOf'],
        explicitBufferAttributes: ['objectGUID'],
        paged: { pageSize: 40 },
      });
      expect(paged.searchEntries).toHaveLength(directory.staff.length);
      // The stats log is written as slapd answers; its last line may trail the client's result.
      const pages = await waitFor(
        () => slapd.searches().length >= before + 4 && slapd.searches().slice(before),
        {
          description: 'four pages logged',
        },
      );
      expect(pages.map((s) => s.entries)).toEqual([40, 40, 40, 4]);
      const adele = paged.searchEntries.find((e) => e.dn === directory.staff[0]?.dn);
      expect(adele?.objectGUID).toEqual(guidBytes(directory.staff[0]?.objectGuid ?? ''));
      expect(adele?.memberOf).toBe(directory.groups[0]?.dn);
    } finally {
      await client.unbind();
    }
  });

  it('offers StartTLS on the plain port, refuses a wrong password, and applies changes', async () => {
    const client = new Client({ url: `ldap://127.0.0.1:${slapd.ports.ldap}` });
    try {
      await client.startTLS(); // the test CA is trusted through NODE_EXTRA_CA_CERTS
      await expect(client.bind(slapd.directory.readerDn, 'wrong')).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
      await slapd.modify(
        `dn: ${slapd.directory.contractors[1]?.dn}\nchangetype: modify\nreplace: mail\nmail: enrico@fabrikam.com\n`,
      );
      await client.bind(slapd.directory.readerDn, slapd.directory.readerPassword);
      const { searchEntries } = await client.search(slapd.directory.contractors[1]?.dn ?? '', {
        scope: 'base',
        attributes: ['mail', 'entryUUID'],
      });
      expect(searchEntries[0]?.mail).toBe('enrico@fabrikam.com');
      expect(searchEntries[0]?.entryUUID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    } finally {
      await client.unbind();
    }
  });
});
