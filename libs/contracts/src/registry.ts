import { ARCHIVE_CONTRACTS } from './archive/index.js';
import { CATALOG_CONTRACTS } from './catalog/index.js';
import type { AnyContract } from './core/contract.js';
import { DIRECTORY_CONTRACTS } from './directory/index.js';
import {
  DIRECTORY_REFERENCES_FIND_V1,
  PROFILES_REFERENCES_FIND_V1,
  SCHEDULER_REFERENCES_FIND_V1,
} from './platform/find-references/find-references.contract.js';
import { SERVICE_PING_V1 } from './platform/service-ping/service-ping.contract.js';
import { PROFILES_CONTRACTS } from './profiles/index.js';
import { SCHEDULER_CONTRACTS } from './scheduler/index.js';
import {
  SECRET_CERTIFICATE_V1,
  SECRET_CREATE_V2,
  SECRET_DELETE_V1,
  SECRET_DESCRIBE_V1,
  SECRET_GET_V1,
  SECRET_LIST_V1,
  SECRET_RESOLVE_V2,
  SECRET_UPDATE_V2,
  SECRET_WRITE_KEY_V1,
} from './secrets/index.js';
import { TENANT_CREATED_V1 } from './tenant/tenant-created/tenant-created.contract.js';
import { TENANT_DELETED_V1 } from './tenant/tenant-deleted/tenant-deleted.contract.js';

/** Every contract on the bus. The snapshot test walks this list; add each new contract here. */
export const ALL_CONTRACTS: readonly AnyContract[] = [
  SERVICE_PING_V1,
  PROFILES_REFERENCES_FIND_V1,
  DIRECTORY_REFERENCES_FIND_V1,
  SCHEDULER_REFERENCES_FIND_V1,
  TENANT_CREATED_V1,
  TENANT_DELETED_V1,
  SECRET_CREATE_V2,
  SECRET_GET_V1,
  SECRET_LIST_V1,
  SECRET_UPDATE_V2,
  SECRET_WRITE_KEY_V1,
  SECRET_DELETE_V1,
  SECRET_CERTIFICATE_V1,
  SECRET_DESCRIBE_V1,
  SECRET_RESOLVE_V2,
  ...DIRECTORY_CONTRACTS,
  ...PROFILES_CONTRACTS,
  ...SCHEDULER_CONTRACTS,
  ...ARCHIVE_CONTRACTS,
  ...CATALOG_CONTRACTS,
];
