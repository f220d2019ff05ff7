import type { ContractError } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import { readExchangeSettings } from './exchange-settings.js';

const TEMPLATE = 'https://{serverName}/EWS/Exchange.asmx';
const secret = { id: 's', type: 'basic' as const, username: 'CONTOSO\\svc-archive', password: 'pw' };

describe('readExchangeSettings', () => {
  it('builds the EWS URL from the template and impersonates the source or the archive mailbox', () => {
    const single = readExchangeSettings(
      { serverName: 'mail.contoso.example', mode: 'single', sourceMailbox: 'alice@contoso.example' },
      secret,
      'archive@contoso.example',
      TEMPLATE,
    );
    expect(single).toMatchObject({
      url: new URL('https://mail.contoso.example/EWS/Exchange.asmx'),
      mailbox: 'alice@contoso.example',
      timeoutMs: 60_000,
      rejectUnauthorized: true,
      login: 'CONTOSO\\svc-archive',
    });
    const multiple = readExchangeSettings(
      { serverName: 'mail.contoso.example', mode: 'multiple', sourceMailbox: 'ignored@contoso.example' },
      secret,
      'bob@contoso.example',
      'https://{serverName}:8443/ews/exchange.asmx',
    );
    expect(multiple.mailbox).toBe('bob@contoso.example');
    expect(multiple.url.toString()).toBe('https://mail.contoso.example:8443/ews/exchange.asmx');
  });

  it('names the field that is wrong', () => {
    const field = (profile: Record<string, unknown>, credentials: object = secret): string | undefined => {
      try {
        readExchangeSettings(profile, credentials as typeof secret, 'a@contoso.example', TEMPLATE);
        return undefined;
      } catch (error) {
        return (error as ContractError).fields?.[0]?.field;
      }
    };
    expect(field({ serverName: 'https://mail.contoso.example/EWS' })).toBe('serverName');
    expect(field({ serverName: 'mail.contoso.example', timeoutSeconds: -1 })).toBe('timeoutSeconds');
    expect(field({ serverName: 'mail.contoso.example', folders: { include: 'Inbox' } })).toBe(
      'folders.include',
    );
    expect(field({ serverName: 'mail.contoso.example' }, { id: 's', type: 'client-secret' })).toBe(
      'credentialsSecretId',
    );
    expect(field({ serverName: 'mail.contoso.example', sourceMailbox: 'alice' })).toBe('sourceMailbox');
  });
});
