import type { DirectoryServiceType } from '@mailkeep/contracts';

import { type SecretsClient } from '../ports/secrets.js';
import { type DirectorySource, DirectorySources } from './directory-source.js';
import { M365DirectorySource } from './m365/m365-directory.source.js';
import type { M365Endpoints } from './m365/m365-endpoints.js';

/** The source of each synced type; static has none (its members are its source). */
export class TypeSources extends DirectorySources {
  private readonly sources: Partial<Record<DirectoryServiceType, DirectorySource>>;

  constructor(secrets: SecretsClient, m365: M365Endpoints) {
    super();
    this.sources = { m365: new M365DirectorySource(secrets, m365) };
  }

  of(type: DirectoryServiceType): DirectorySource | undefined {
    return this.sources[type];
  }
}
