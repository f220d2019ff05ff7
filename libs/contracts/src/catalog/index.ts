export * from './integrity-checks/integrity-checks.contract.js';
export * from './messages/messages.contract.js';
export * from './task-tally/task-tally.contract.js';

import {
  CATALOG_INTEGRITY_CHECK_GET_V1,
  CATALOG_INTEGRITY_CHECK_START_V1,
} from './integrity-checks/integrity-checks.contract.js';
import {
  CATALOG_MESSAGE_GET_V1,
  CATALOG_MESSAGE_LOCATE_RAW_V1,
  CATALOG_MESSAGE_SEARCH_V1,
  CATALOG_TEXT_INDEX_STATUS_V1,
  CATALOG_TEXT_REINDEX_START_V1,
} from './messages/messages.contract.js';
import { CATALOG_TASK_TALLY_V1 } from './task-tally/task-tally.contract.js';

/** The catalog's queries (A4): messages, raw location, integrity checks, task tallies. */
export const CATALOG_CONTRACTS = [
  CATALOG_MESSAGE_SEARCH_V1,
  CATALOG_MESSAGE_GET_V1,
  CATALOG_MESSAGE_LOCATE_RAW_V1,
  CATALOG_INTEGRITY_CHECK_START_V1,
  CATALOG_INTEGRITY_CHECK_GET_V1,
  CATALOG_TEXT_REINDEX_START_V1,
  CATALOG_TEXT_INDEX_STATUS_V1,
  CATALOG_TASK_TALLY_V1,
] as const;
