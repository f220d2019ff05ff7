export {
  createTestDatabase,
  TEST_DATABASE_ADMIN_URL,
  testDatabaseName,
  type TestDatabase,
} from './postgres.js';
export { waitFor, WaitForTimeoutError, type WaitForOptions } from './wait-for.js';
export { TEST_NATS_URL, testStream, uniqueToken } from './nats.js';
export { freePort } from './free-port.js';
export { startPlatform, type RunningPlatform } from './platform.js';
export { startNatsServer, type PrivateNatsServer } from './nats-server.js';
export { startS3rver, type RunningS3rver } from './s3rver.js';
