// Imported first by main.ts: telemetry must be running before anything else loads.
import { loadConfig, RuntimeEnv } from '@mailkeep/config';
import { startTelemetry } from '@mailkeep/observability';

const runtime = loadConfig(RuntimeEnv);
startTelemetry({
  serviceName: 'mailkeep-api',
  ...(runtime.MAILKEEP_OTLP_ENDPOINT && { otlpEndpoint: runtime.MAILKEEP_OTLP_ENDPOINT }),
});
