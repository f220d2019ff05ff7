export * from './integrity-check-requests/integrity-check-requests.contract.js';
export * from './messages/messages.contract.js';
export * from './task-tally/task-tally.contract.js';

import {
  INTEGRITY_CHECK_GET_V1,
  INTEGRITY_CHECK_START_V1,
} from './integrity-check-requests/integrity-check-requests.contract.js';
import {
  MESSAGE_GET_V1,
  MESSAGE_LOCATE_RAW_V1,
  MESSAGE_SEARCH_V1,
  TEXT_INDEX_REINDEX_V1,
  TEXT_INDEX_STATUS_V1,
} from './messages/messages.contract.js';
import { TASK_TALLY_V1 } from './task-tally/task-tally.contract.js';

/** The catalog's queries (A4): messages, raw location, integrity checks, task tallies. */
export const CATALOG_CONTRACTS = [
  MESSAGE_SEARCH_V1,
  MESSAGE_GET_V1,
  MESSAGE_LOCATE_RAW_V1,
  INTEGRITY_CHECK_START_V1,
  INTEGRITY_CHECK_GET_V1,
  TEXT_INDEX_REINDEX_V1,
  TEXT_INDEX_STATUS_V1,
  TASK_TALLY_V1,
] as const;
