import type { DirectoryServiceType } from '@mailkeep/contracts';
import type { Egress } from '@mailkeep/egress';
import { AppTokenCache, type MicrosoftEndpoints } from '@mailkeep/microsoft-graph';

import type { SecretsClient } from '../ports/secrets.js';
import { type DirectorySource, DirectorySources } from './directory-source.js';
import { LdapDirectorySource } from './ldap/ldap-directory.source.js';
import { M365DirectorySource } from './m365/m365-directory.source.js';

/** The source of each synced type; static has none (its members are its source). */
export class TypeSources extends DirectorySources {
  private readonly sources: Partial<Record<DirectoryServiceType, DirectorySource>>;

  constructor(secrets: SecretsClient, m365: MicrosoftEndpoints, egress: Egress) {
    super();
    // One token cache for the service: syncs and tests of one app share a token until it expires.
    this.sources = {
      m365: new M365DirectorySource(secrets, m365, new AppTokenCache()),
      ldap: new LdapDirectorySource(secrets, egress),
    };
  }

  of(type: DirectoryServiceType): DirectorySource | undefined {
    return this.sources[type];
  }
}
