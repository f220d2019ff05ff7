export {
  runService,
  SERVICE_CONTEXT,
  type RunningService,
  type ServiceContext,
  type ServiceDefinition,
} from './run-service.js';
export { startServiceTelemetry } from './telemetry.js';
