import { type DynamicModule, Module } from '@nestjs/common';

import { DirectoryServicesHandler } from './directory-services/directory-services.handler.js';
import { DirectoryServicesRepository } from './directory-services/directory-services.repository.js';
import { DirectoryServicesService } from './directory-services/directory-services.service.js';
import { MailboxImportService } from './mailboxes/mailbox-import.service.js';
import { MailboxesHandler } from './mailboxes/mailboxes.handler.js';
import { MailboxesRepository } from './mailboxes/mailboxes.repository.js';
import { MailboxesService } from './mailboxes/mailboxes.service.js';
import { BusReferenceFinder } from './references/bus-reference-finder.js';
import { ReferenceFinder } from './references/reference-finder.js';

/** Mailboxes and directory services (SPEC D1–D5): handlers → services → repositories. */
@Module({})
export class DirectoryModule {
  static forRoot(): DynamicModule {
    return {
      module: DirectoryModule,
      providers: [
        DirectoryServicesRepository,
        DirectoryServicesService,
        DirectoryServicesHandler,
        MailboxesRepository,
        MailboxesService,
        MailboxImportService,
        MailboxesHandler,
        { provide: ReferenceFinder, useClass: BusReferenceFinder },
      ],
    };
  }
}
