import { loadConfig, RuntimeEnv } from '@mailkeep/config';
import { startTelemetry } from '@mailkeep/observability';

/**
 * For a service's `instrument.ts`, its entry's first import: telemetry must run before anything
 * else is loaded. A bad runtime setting is left for runService to report with the others.
 */
export function startServiceTelemetry(name: string): void {
  let endpoint: string | undefined;
  try {
    endpoint = loadConfig(RuntimeEnv).MAILKEEP_OTLP_ENDPOINT;
  } catch {
    endpoint = undefined;
  }
  startTelemetry({ serviceName: `mailkeep-${name}`, ...(endpoint && { otlpEndpoint: endpoint }) });
}
