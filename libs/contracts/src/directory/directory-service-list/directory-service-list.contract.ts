import { defineRequest } from '../../core/contract.js';
import { DirectoryServicePage } from '../shared/directory-service.payload.js';
import { DirectoryListRequest } from '../shared/list-request.js';

/** Lists directory services by name; `search` matches the name by inclusion or the id exactly. */
export const DIRECTORY_SERVICE_LIST_V1 = defineRequest({
  subject: 'directory.req.directory-service.list.v1',
  request: DirectoryListRequest,
  reply: DirectoryServicePage,
});
