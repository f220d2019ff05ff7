export {
  createTestDatabase,
  TEST_DATABASE_ADMIN_URL,
  testDatabaseName,
  type TestDatabase,
} from './postgres.js';
export { waitFor, WaitForTimeoutError, type WaitForOptions } from './wait-for.js';
export { TEST_NATS_URL, testStream, uniqueToken } from './nats.js';
export { freePort } from './free-port.js';
export { startPlatform, type RunningPlatform, type StartPlatformOptions } from './platform.js';
export { startNatsServer, type PrivateNatsServer } from './nats-server.js';
export { startS3rver, type RunningS3rver } from './s3rver.js';
export {
  MASTER_USER_SEPARATOR,
  startDovecot,
  type DeliveredMessage,
  type DovecotPorts,
  type DovecotUser,
  type FlagMode,
  type MailboxMessage,
  type MailboxStatus,
  type RunningDovecot,
  type StartDovecotOptions,
} from './dovecot.js';
export {
  buildMailCorpus,
  DEFAULT_LARGE_ATTACHMENT_BYTES,
  type CorpusMessage,
  type MailCorpusOptions,
} from './mail-corpus.js';
export {
  decodeImapUtf7,
  encodeImapUtf7,
  ImapCommandError,
  imapQuote,
  Pop3CommandError,
  RawImapClient,
  RawPop3Client,
  type ImapLine,
  type ImapResponse,
  type ImapSelectResult,
  type RawConnectOptions,
  type RawTlsMode,
} from './raw-mail-client.js';
export { storedEvents } from './stored-events.js';
export { withoutTimings } from './test-connection-result.js';
