import { MAX_LIST_PAGE_SIZE, TenantListRequest } from '../../core/list-request.js';

/** Largest list page of the directory service (the platform-wide bound). */
export const DIRECTORY_MAX_LIST_PAGE_SIZE = MAX_LIST_PAGE_SIZE;

/** `search`, `limit`, `cursor` of a directory list (SPEC §5) for one tenant. */
export class DirectoryListRequest extends TenantListRequest {}
