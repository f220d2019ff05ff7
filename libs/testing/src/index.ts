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
export { startServiceHarness, type ServiceHarness, type ServiceHarnessOptions } from './service-harness.js';
export { checkServiceSchema } from './service-schema-check.js';
export { startPlatform, type RunningPlatform, type StartPlatformOptions } from './platform.js';
export { startNatsServer, type PrivateNatsServer } from './nats-server.js';
export { type PostgresInstance, startPostgresInstance } from './postgres-instance.js';
export {
  CORE_SERVICES,
  FAULT_TEST_SERVICES,
  type FaultTestService,
  type PlatformProcesses,
  startPlatformProcesses,
} from './platform-processes.js';
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
  docxDocument,
  mimeMessage,
  odtDocument,
  pdfDocument,
  rtfDocument,
  zipArchive,
  type MimeAttachment,
} from './search-documents.js';
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
export { FlakyBlobStore, readBlob } from './flaky-blob-store.js';
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
export {
  startGoogleFake,
  type AddServiceAccountOptions,
  type RunningGoogleFake,
  type StartGoogleFakeOptions,
} from './fakes/google/server.js';
export {
  FakeGmailMailbox,
  FakeGoogleDomain,
  SYSTEM_LABELS,
  type AddUserOptions as AddGoogleUserOptions,
  type FakeGmailMessage,
  type FakeGoogleGroup,
  type FakeGoogleUser,
  type FakeGroupMember,
  type GroupMemberInput,
  type GroupRole,
  type FakeHistoryRecord,
  type FakeLabel,
  type FakeServiceAccount,
} from './fakes/google/state.js';
export {
  GMAIL_USER_UNITS_PER_MINUTE,
  GoogleFakeCounters,
  type GoogleFaultOptions,
} from './fakes/google/faults.js';
export {
  GoogleFakeFailure,
  matchPath,
  type GoogleFakeState,
  type GoogleRoute,
  type GoogleRouteContext,
} from './fakes/google/routes.js';
export {
  apiError as googleApiError,
  googleApiErrors,
  oauthErrors,
  type GoogleFakeError,
} from './fakes/google/errors.js';
export { type IssuedGoogleToken } from './fakes/google/identity.js';
export { adminDirectoryErrors } from './fakes/google/admin-directory-routes.js';
export {
  generateServiceAccountKey,
  type GeneratedServiceAccountKey,
  type GenerateServiceAccountKeyOptions,
} from './fakes/google/service-account-key.js';
export { relabel as relabelMessage, seedGmailMailbox, type SeededGmailMailbox } from './fakes/google/seed.js';
export { type ApiAnswer, callApi, createTenantWithAdmin } from './api-client.js';
export {
  archiveCommand,
  archiveTaskOutcome,
  type ArchiveTaskOutcome,
  findTaskFinished,
  largeMessage,
  mailboxPayload,
  peakMemoryGrowth,
  storedArchivedEvents,
} from './connector-fixtures.js';
export { startSlapd, type RunningSlapd, type SearchLogged, type StartSlapdOptions } from './slapd.js';
export {
  contosoDirectory,
  guidBytes,
  type DirectoryGroup,
  type DirectoryPerson,
  type SeededDirectory,
} from './slapd-seed.js';
export {
  startEwsFake,
  type EwsAuthScheme,
  type RunningEwsFake,
  type StartEwsFakeOptions,
} from './fakes/ews/server.js';
export { EwsMailbox, type EwsFolder, type EwsItem, type EwsServiceAccount } from './fakes/ews/state.js';
export { EwsFakeCounters, type EwsFaultOptions } from './fakes/ews/faults.js';
export { seedEwsMailbox, type SeededEwsMailbox } from './fakes/ews/seed.js';
export { HIERARCHY_CHANGES_PER_RESPONSE } from './fakes/ews/operations.js';
export {
  type ImapFakeFolder,
  type RunningImapFake,
  startImapFake,
  type StartImapFakeOptions,
} from './fakes/imap/server.js';
export { runArchiveTask } from './connector-task.js';
export { runTestConnectorWorker, type TestConnectorWorkerOptions } from './connector-worker.js';
