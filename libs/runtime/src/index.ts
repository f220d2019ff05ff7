export {
  runService,
  SERVICE_CONTEXT,
  type RunningService,
  type ServiceContext,
  type ServiceDefinition,
} from './run-service.js';
export { startServiceTelemetry } from './telemetry.js';
export { exportConsumerLag, type WatchedConsumer } from './consumer-lag.js';
