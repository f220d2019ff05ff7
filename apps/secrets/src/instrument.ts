import { startServiceTelemetry } from '@mailkeep/runtime';

startServiceTelemetry('secrets');
