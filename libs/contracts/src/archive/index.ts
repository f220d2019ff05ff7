export * from './message-archived/message-archived.contract.js';
export * from './task-counters/task-counters.js';
export * from './task-finished/task-finished.contract.js';
export * from './task-progress/task-progress.contract.js';
export * from '../connector/archive-mailbox/archive-mailbox.contract.js';

import { CONNECTOR_ARCHIVE_MAILBOX_V1 } from '../connector/archive-mailbox/archive-mailbox.contract.js';
import { MESSAGE_ARCHIVED_V1 } from './message-archived/message-archived.contract.js';
import { TASK_FINISHED_V1 } from './task-finished/task-finished.contract.js';
import { TASK_PROGRESS_V1 } from './task-progress/task-progress.contract.js';

/** The archive-mailbox commands (one per profile type) and the archive events (SPEC A5). */
export const ARCHIVE_CONTRACTS = [
  ...Object.values(CONNECTOR_ARCHIVE_MAILBOX_V1),
  MESSAGE_ARCHIVED_V1,
  TASK_PROGRESS_V1,
  TASK_FINISHED_V1,
] as const;
