import type { ServiceSchema } from '@mailkeep/persistence';

import { DirectoryServiceEntity } from '../directory-services/directory-service.entity.js';
import { MailboxAddressEntity } from '../mailboxes/mailbox-address.entity.js';
import { MailboxEntity } from '../mailboxes/mailbox.entity.js';
import { CreateDirectorySchema1764100000000 } from './migrations/1764100000000-create-directory-schema.js';
import { AddDirectorySync1765100000000 } from './migrations/1765100000000-add-directory-sync.js';

/** The directory service's own tables, in schema `directory`, changed only by these migrations. */
export const DIRECTORY_SCHEMA: ServiceSchema = {
  schema: 'directory',
  entities: [DirectoryServiceEntity, MailboxEntity, MailboxAddressEntity],
  migrations: [CreateDirectorySchema1764100000000, AddDirectorySync1765100000000],
};
