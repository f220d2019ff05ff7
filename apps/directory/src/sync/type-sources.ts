import type { DirectoryServiceType } from '@mailkeep/contracts';
import { DelegatedTokenCache, type GoogleEndpoints } from '@mailkeep/google-workspace';
import type { Egress } from '@mailkeep/egress';
import { AppTokenCache, type MicrosoftEndpoints } from '@mailkeep/microsoft-graph';

import type { SecretsClient } from '../ports/secrets.js';
import { type DirectorySource, DirectorySources } from './directory-source.js';
import { GoogleDirectorySource } from './google/google-directory.source.js';
import { LdapDirectorySource } from './ldap/ldap-directory.source.js';
import { M365DirectorySource } from './m365/m365-directory.source.js';

/** The source of each synced type; static has none (its members are its source). */
export class TypeSources extends DirectorySources {
  private readonly sources: Partial<Record<DirectoryServiceType, DirectorySource>>;

  constructor(
    secrets: SecretsClient,
    endpoints: { m365: MicrosoftEndpoints; google: GoogleEndpoints },
    egress: Egress,
  ) {
    super();
    // One token cache per type for the service: syncs and tests of one app (one service account
    // and admin) share a token until it expires.
    this.sources = {
      m365: new M365DirectorySource(secrets, endpoints.m365, new AppTokenCache()),
      'google-workspace': new GoogleDirectorySource(secrets, endpoints.google, new DelegatedTokenCache()),
      ldap: new LdapDirectorySource(secrets, egress),
    };
  }

  of(type: DirectoryServiceType): DirectorySource | undefined {
    return this.sources[type];
  }
}
