/**
 * @mailkeep/connector-kit: what every connector worker shares — the task loop, the per-message
 * archive pipeline, sync cursors, and the throttle/timeout/retry policy (SPEC C1–C6).
 */
export {
  DEFAULT_HEADER_LIMIT_BYTES,
  HeaderReader,
  parseHeaderBlock,
  type HeaderReadResult,
  type RawHeaders,
} from './headers/header-reader.js';
export {
  archivedEventMsgId,
  createMessageArchiver,
  type ArchiveMessageInput,
  type ArchiveMessageResult,
  type MessageArchiver,
  type MessageArchiverOptions,
} from './pipeline/archive-message.js';
export {
  CursorStore,
  cursorKey,
  SYNC_CURSORS_BUCKET,
  SYNC_CURSORS_HISTORY,
  type StoredCursor,
} from './cursors/cursor-store.js';
export { CursorTracker } from './cursors/cursor-tracker.js';
export { MessageWindow } from './pipeline/message-window.js';
export { mailboxLeaseKey } from './worker/mailbox-lease.js';
export {
  categorise,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  DEFAULT_THROTTLE_BACKOFF_MS,
  ERROR_CATEGORIES,
  MAX_HONOURED_BACKOFF_MS,
  parseRetryAfter,
  TaskAbortedError,
  Throttle,
  ThrottledError,
  withTimeout,
  type CategorisedError,
  type ErrorCategory,
} from './policy/policy.js';
export { TLS_CERTIFICATE_ERROR_CODES, tlsCertificateErrorCode } from './policy/certificate-errors.js';
export {
  DEFAULT_PROGRESS_INTERVAL_MS,
  DEFAULT_TASK_CONCURRENCY,
  runConnectorWorker,
  type ConnectorWorker,
  type ConnectorWorkerOptions,
  type TaskContext,
  type TaskHandler,
} from './worker/connector-worker.js';
export { createConnectorMetrics, type ConnectorMetrics } from './metrics.js';
export { busTargetLoader, type ArchiveTarget, type ArchiveTargetLoader } from './service/archive-target.js';
export { checkProfileFor, type ProfileDraftOf } from './service/typed-profile.js';
export {
  ConnectorEnv,
  connectorTaskHandler,
  runConnectorService,
  serveTestConnection,
  type ConnectorDefinition,
  type ConnectorTools,
} from './service/connector-service.js';
export {
  classifyTransportError,
  ConnectionTest,
  ConnectionTestFailure,
} from './connection-test/connection-test.js';
export {
  applyFolderSelection,
  DEFAULT_FOLDER_SELECTION,
  readFolderSelection,
  trimFolderPath,
  type FolderSelection,
} from './folders/folder-rules.js';
export { archiveFoldersInTurn } from './folders/archive-folders.js';
