// Imported first by main.ts: telemetry must be running before anything else loads.
import { startServiceTelemetry } from '@mailkeep/runtime';

startServiceTelemetry('connector-exchange');
