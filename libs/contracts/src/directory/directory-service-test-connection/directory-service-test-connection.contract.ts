import { TestConnectionResult } from '../../connector/test-connection/test-connection.contract.js';
import { defineRequest } from '../../core/contract.js';
import { DirectoryServiceRef } from '../shared/directory-service.payload.js';

/**
 * Tries a synced directory service's source with its saved settings (credentials, one page of
 * users, the group): the test-connection result of SPEC §5. A static service has no source and
 * answers success with every step skipped.
 */
export const DIRECTORY_SERVICE_TEST_CONNECTION_V1 = defineRequest({
  subject: 'directory.req.directory-service.test-connection.v1',
  request: DirectoryServiceRef,
  reply: TestConnectionResult,
});
