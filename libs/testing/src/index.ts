export {
  createTestDatabase,
  TEST_DATABASE_ADMIN_URL,
  testDatabaseName,
  type TestDatabase,
} from './postgres.js';
export { waitFor, WaitForTimeoutError, type WaitForOptions } from './wait-for.js';
export { contractFailure } from './contract-failure.js';
export { TEST_NATS_URL, testStream, uniqueToken } from './nats.js';
export { freePort } from './free-port.js';
export { startPlatform, type RunningPlatform, type StartPlatformOptions } from './platform.js';
export { startNatsServer, type PrivateNatsServer } from './nats-server.js';
export { startNatsCluster, type NatsClusterNode, type RunningNatsCluster } from './nats-cluster.js';
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
export {
  generateApplicationCertificate,
  testCertificateAuthority,
  type TestCertificate,
  type TestCertificateAuthority,
} from './fakes/test-ca.js';
export { startGraphFake, type RunningGraphFake, type StartGraphFakeOptions } from './fakes/m365/server.js';
export {
  FakeMailbox,
  FakeTenant,
  type AddUserOptions,
  type FakeApplication,
  type FakeFolder,
  type FakeGroup,
  type FakeMessage,
  type FakeUser,
  type FlagStatus,
  type GraphPermission,
  type WellKnownFolderName,
} from './fakes/m365/state.js';
export { GraphFakeCounters, type GraphFaultOptions } from './fakes/m365/faults.js';
export { GRAPH_DEFAULT_SCOPE } from './fakes/m365/identity.js';
export { seedMailbox, type SeededMailbox } from './fakes/m365/seed.js';
export { type ApiAnswer, callApi, createTenantWithAdmin } from './api-client.js';
export {
  archiveCommand,
  findTaskFinished,
  mailboxPayload,
  storedArchivedEvents,
} from './connector-fixtures.js';
