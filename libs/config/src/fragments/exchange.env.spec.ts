import { describe, expect, it } from 'vitest';

import { loadConfig } from '../load-config.js';
import { ExchangeEnv } from './exchange.env.js';

describe('ExchangeEnv', () => {
  it('defaults to the EWS virtual directory and reads an override', () => {
    expect(loadConfig(ExchangeEnv, {}).MAILKEEP_EXCHANGE_URL_TEMPLATE).toBe(
      'https://{serverName}/EWS/Exchange.asmx',
    );
    expect(
      loadConfig(ExchangeEnv, {
        MAILKEEP_EXCHANGE_URL_TEMPLATE: 'https://{serverName}:8443/ews/exchange.asmx',
      }).MAILKEEP_EXCHANGE_URL_TEMPLATE,
    ).toBe('https://{serverName}:8443/ews/exchange.asmx');
  });

  it('refuses plain http and a template without {serverName}, naming the variable', () => {
    for (const bad of [
      'http://{serverName}/EWS/Exchange.asmx',
      'https://mail.contoso.example/EWS/Exchange.asmx',
    ]) {
      expect(() => loadConfig(ExchangeEnv, { MAILKEEP_EXCHANGE_URL_TEMPLATE: bad })).toThrow(
        /MAILKEEP_EXCHANGE_URL_TEMPLATE/,
      );
    }
  });
});
