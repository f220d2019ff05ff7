import { GOOGLE_DEFAULT_ENDPOINTS, type GoogleEndpoints } from '@mailkeep/google-workspace';
import { Egress } from '@mailkeep/egress';
import { GLOBAL_CLOUD_ENDPOINTS, type MicrosoftEndpoints } from '@mailkeep/microsoft-graph';
import { type DynamicModule, Module } from '@nestjs/common';

import { DirectoryServicesHandler } from './directory-services/directory-services.handler.js';
import { DirectoryServicesRepository } from './directory-services/directory-services.repository.js';
import { DirectoryServicesService } from './directory-services/directory-services.service.js';
import { MailboxImportService } from './mailboxes/mailbox-import.service.js';
import { MailboxesHandler } from './mailboxes/mailboxes.handler.js';
import { MailboxesRepository } from './mailboxes/mailboxes.repository.js';
import { MailboxesService } from './mailboxes/mailboxes.service.js';
import { SecretsClient } from './ports/secrets.js';
import { BusReferenceFinder } from './references/bus-reference-finder.js';
import { ReferenceFinder } from './references/reference-finder.js';
import { DirectorySources } from './sync/directory-source.js';
import { DirectorySyncService } from './sync/directory-sync.service.js';
import { TypeSources } from './sync/type-sources.js';

export interface DirectoryModuleOptions {
  /** Where the identity platform and Graph are (default: the public cloud). */
  readonly m365?: MicrosoftEndpoints;
  /** Where Google's token endpoint and Admin SDK are (default: Google's public endpoints). */
  readonly google?: GoogleEndpoints;
  /** The egress policy for tenant-supplied hosts (LDAP servers); default: the built-in refusals only. */
  readonly egress?: Egress;
}

/** Mailboxes and directory services (SPEC D1–D5): handlers → services → repositories and sources. */
@Module({})
export class DirectoryModule {
  static forRoot(options: DirectoryModuleOptions = {}): DynamicModule {
    return {
      module: DirectoryModule,
      // The NATS endpoints: served by the bus transport (MessageBusServer).
      controllers: [DirectoryServicesHandler, MailboxesHandler],
      providers: [
        DirectoryServicesRepository,
        DirectoryServicesService,
        DirectorySyncService,
        MailboxesRepository,
        MailboxesService,
        MailboxImportService,
        SecretsClient,
        { provide: ReferenceFinder, useClass: BusReferenceFinder },
        {
          provide: DirectorySources,
          inject: [SecretsClient],
          useFactory: (secrets: SecretsClient) =>
            new TypeSources(
              secrets,
              {
                m365: options.m365 ?? GLOBAL_CLOUD_ENDPOINTS,
                google: options.google ?? GOOGLE_DEFAULT_ENDPOINTS,
              },
              options.egress ?? new Egress(),
            ),
        },
      ],
    };
  }
}
