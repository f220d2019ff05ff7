export * from './shared/mail-address.js';
export * from './shared/mailbox.payload.js';
export * from './shared/directory-service.payload.js';
export * from './shared/directory-service-settings.js';
export * from './shared/google-workspace-directory-settings.js';
export * from './shared/ldap-directory-settings.js';
export * from './shared/list-request.js';
export * from './mailbox-create/mailbox-create.contract.js';
export * from './mailbox-get/mailbox-get.contract.js';
export * from './mailbox-list/mailbox-list.contract.js';
export * from './mailbox-update/mailbox-update.contract.js';
export * from './mailbox-delete/mailbox-delete.contract.js';
export * from './mailbox-describe/mailbox-describe.contract.js';
export * from './mailboxes-import/mailboxes-import.contract.js';
export * from './mailboxes-resolve/mailboxes-resolve.contract.js';
export * from './directory-service-create/directory-service-create.contract.js';
export * from './directory-service-get/directory-service-get.contract.js';
export * from './directory-service-list/directory-service-list.contract.js';
export * from './directory-service-update/directory-service-update.contract.js';
export * from './directory-service-delete/directory-service-delete.contract.js';
export * from './directory-service-sync/directory-service-sync.contract.js';
export * from './directory-service-describe/directory-service-describe.contract.js';
export * from './directory-service-test-connection/directory-service-test-connection.contract.js';

import { DIRECTORY_SERVICE_CREATE_V1 } from './directory-service-create/directory-service-create.contract.js';
import { DIRECTORY_SERVICE_DELETE_V1 } from './directory-service-delete/directory-service-delete.contract.js';
import { DIRECTORY_SERVICE_DESCRIBE_V1 } from './directory-service-describe/directory-service-describe.contract.js';
import { DIRECTORY_SERVICE_GET_V1 } from './directory-service-get/directory-service-get.contract.js';
import { DIRECTORY_SERVICE_LIST_V1 } from './directory-service-list/directory-service-list.contract.js';
import { DIRECTORY_SERVICE_SYNC_V1 } from './directory-service-sync/directory-service-sync.contract.js';
import { DIRECTORY_SERVICE_TEST_CONNECTION_V1 } from './directory-service-test-connection/directory-service-test-connection.contract.js';
import { DIRECTORY_SERVICE_UPDATE_V1 } from './directory-service-update/directory-service-update.contract.js';
import { MAILBOX_CREATE_V1 } from './mailbox-create/mailbox-create.contract.js';
import { MAILBOX_DELETE_V1 } from './mailbox-delete/mailbox-delete.contract.js';
import { MAILBOX_DESCRIBE_V1 } from './mailbox-describe/mailbox-describe.contract.js';
import { MAILBOX_GET_V1 } from './mailbox-get/mailbox-get.contract.js';
import { MAILBOX_LIST_V1 } from './mailbox-list/mailbox-list.contract.js';
import { MAILBOX_UPDATE_V1 } from './mailbox-update/mailbox-update.contract.js';
import { MAILBOXES_IMPORT_V1 } from './mailboxes-import/mailboxes-import.contract.js';
import { MAILBOXES_RESOLVE_V1 } from './mailboxes-resolve/mailboxes-resolve.contract.js';

/** Every directory contract, for ALL_CONTRACTS (one line in the shared registry). */
export const DIRECTORY_CONTRACTS = [
  MAILBOX_CREATE_V1,
  MAILBOX_GET_V1,
  MAILBOX_LIST_V1,
  MAILBOX_UPDATE_V1,
  MAILBOX_DELETE_V1,
  MAILBOX_DESCRIBE_V1,
  MAILBOXES_IMPORT_V1,
  MAILBOXES_RESOLVE_V1,
  DIRECTORY_SERVICE_CREATE_V1,
  DIRECTORY_SERVICE_GET_V1,
  DIRECTORY_SERVICE_LIST_V1,
  DIRECTORY_SERVICE_UPDATE_V1,
  DIRECTORY_SERVICE_DELETE_V1,
  DIRECTORY_SERVICE_SYNC_V1,
  DIRECTORY_SERVICE_DESCRIBE_V1,
  DIRECTORY_SERVICE_TEST_CONNECTION_V1,
] as const;
