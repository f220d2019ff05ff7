import { defineRequest } from '../../core/contract.js';
import { DirectoryServicePayload, DirectoryServiceRef } from '../shared/directory-service.payload.js';

/** Reads one directory service; NOT_FOUND for another tenant's id. */
export const DIRECTORY_SERVICE_GET_V1 = defineRequest({
  subject: 'directory.req.directory-service.get.v1',
  request: DirectoryServiceRef,
  reply: DirectoryServicePayload,
});
