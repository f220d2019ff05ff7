import { ConfigError } from '@mailkeep/config';
import { describe, expect, it } from 'vitest';

import { SERVICES, selectServices } from './services.js';

describe('selectServices (MAILKEEP_SERVICES)', () => {
  it('starts every service when empty', () => {
    expect(selectServices('')).toEqual(SERVICES);
  });

  it('starts the named ones, in the platform order', () => {
    expect(selectServices('catalog,api').map((service) => service.name)).toEqual(['api', 'catalog']);
  });

  it('refuses an unknown name, naming the variable and the known services', () => {
    expect(() => selectServices('api,connector-imapp')).toThrow(ConfigError);
    expect(() => selectServices('api,connector-imapp')).toThrow(
      /MAILKEEP_SERVICES.*connector-imapp.*known: api/,
    );
  });
});
