import { defineRequest } from '../../core/contract.js';
import { DirectoryDeletedReply, DirectoryServiceRef } from '../shared/directory-service.payload.js';

/**
 * Deletes a directory service; its mailboxes stay, unassigned. Asks profiles and scheduler first
 * (SPEC D5): any reference is CONFLICT (`in_use`, naming them); no answer is UNAVAILABLE.
 */
export const DIRECTORY_SERVICE_DELETE_V1 = defineRequest({
  subject: 'directory.req.directory-service.delete.v1',
  request: DirectoryServiceRef,
  reply: DirectoryDeletedReply,
});
