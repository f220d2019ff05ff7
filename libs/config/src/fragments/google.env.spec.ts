import { describe, expect, it } from 'vitest';

import { loadConfig } from '../load-config.js';
import { GoogleEnv } from './google.env.js';

describe('GoogleEnv', () => {
  it("defaults to Google's public endpoints and reads overrides", () => {
    expect(loadConfig(GoogleEnv, {})).toMatchObject({
      MAILKEEP_GOOGLE_TOKEN_URL: 'https://oauth2.googleapis.com/token',
      MAILKEEP_GOOGLE_GMAIL_URL: 'https://gmail.googleapis.com',
      MAILKEEP_GOOGLE_ADMIN_URL: 'https://admin.googleapis.com',
    });
    expect(
      loadConfig(GoogleEnv, { MAILKEEP_GOOGLE_GMAIL_URL: 'https://127.0.0.1:8443' })
        .MAILKEEP_GOOGLE_GMAIL_URL,
    ).toBe('https://127.0.0.1:8443');
  });

  it('refuses plain http endpoints, naming the variable', () => {
    expect(() =>
      loadConfig(GoogleEnv, { MAILKEEP_GOOGLE_TOKEN_URL: 'http://oauth2.googleapis.com/token' }),
    ).toThrow(/MAILKEEP_GOOGLE_TOKEN_URL/);
    expect(() => loadConfig(GoogleEnv, { MAILKEEP_GOOGLE_ADMIN_URL: 'admin.googleapis.com' })).toThrow(
      /MAILKEEP_GOOGLE_ADMIN_URL/,
    );
  });
});
