import { describeEnv, type EnvClass, ExchangeEnv, GoogleEnv, M365Env } from '@mailkeep/config';
import type { ProfileType } from '@mailkeep/contracts';
import { ConnectorEnv } from '@mailkeep/connector-kit';

import { ApiEnv } from '../../apps/api/src/api.env.js';
import { CatalogEnv } from '../../apps/catalog/src/catalog.env.js';
import { DirectoryEnv } from '../../apps/directory/src/directory.env.js';
import { SERVICES, type ServiceEntry } from '../../apps/mailkeep/src/services.js';
import { ProfilesEnv } from '../../apps/profiles/src/profiles.env.js';
import { SchedulerEnv } from '../../apps/scheduler/src/scheduler.env.js';
import { SecretsEnv } from '../../apps/secrets/src/secrets.env.js';

/**
 * What each service reads from its environment, from the classes its entry point loads: the
 * deployment manifests are checked (and their base generated) against these, never against a copy.
 * A connector pool reads the kit's ConnectorEnv plus, for some, settings of its own.
 */
const OWN_ENV: Readonly<Record<string, readonly EnvClass[]>> = {
  api: [ApiEnv],
  catalog: [CatalogEnv],
  directory: [DirectoryEnv],
  profiles: [ProfilesEnv],
  scheduler: [SchedulerEnv],
  secrets: [SecretsEnv],
  'connector-m365': [ConnectorEnv, M365Env],
  'connector-google-workspace': [ConnectorEnv, GoogleEnv],
  'connector-exchange': [ConnectorEnv, ExchangeEnv],
};

export function isConnectorPool(service: ServiceEntry): boolean {
  return service.connectorType !== undefined;
}

/** The profile type of a pool's tasks: its work-queue subject and durable consumer. */
export function connectorType(service: ServiceEntry): ProfileType {
  if (!service.connectorType) throw new Error(`${service.name} is not a connector pool`);
  return service.connectorType;
}

/** The service's entry point inside the image (the app's folder need not be the service's name). */
export function imageEntry(service: ServiceEntry): string {
  return `apps/${service.entry.slice(service.entry.lastIndexOf('/apps/') + '/apps/'.length)}`;
}

/** Every variable the service reads, by name. */
export function variablesOf(service: ServiceEntry): string[] {
  const classes = OWN_ENV[service.name] ?? (isConnectorPool(service) ? [ConnectorEnv] : undefined);
  if (!classes)
    throw new Error(`add the environment classes of ${service.name} to test/deploy/service-envs.ts`);
  return [...new Set(classes.flatMap((cls) => describeEnv(cls).map((v) => v.name)))];
}

/**
 * Variables a deployment may leave unset, each for a reason; every other variable a service reads
 * must be set by the manifests (their defaults serve a developer's machine: loopback URLs, a data
 * directory relative to the working directory, development mode).
 */
export const OPTIONAL_IN_DEPLOYMENT: Readonly<Record<string, string>> = {
  MAILKEEP_OTLP_ENDPOINT: 'traces are exported only when an operator has a collector',
  MAILKEEP_LOG_LEVEL: 'info is the production level',
  MAILKEEP_MASTER_KEY_FILE: 'an alternative to MAILKEEP_MASTER_KEY (a mounted file)',
  MAILKEEP_MASTER_KEY_PREVIOUS: 'only while rotating the master key',
  MAILKEEP_EGRESS_ALLOW: 'no extra destinations by default',
  MAILKEEP_EGRESS_DENY: 'no extra refusals by default',
  MAILKEEP_M365_AUTHORITY_URL: 'the public Microsoft endpoints are the defaults',
  MAILKEEP_M365_GRAPH_URL: 'the public Microsoft endpoints are the defaults',
  MAILKEEP_M365_REQUESTS_IN_FLIGHT: 'the default suits Graph throttling',
  MAILKEEP_GOOGLE_TOKEN_URL: 'the public Google endpoints are the defaults',
  MAILKEEP_GOOGLE_GMAIL_URL: 'the public Google endpoints are the defaults',
  MAILKEEP_GOOGLE_ADMIN_URL: 'the public Google endpoints are the defaults',
  MAILKEEP_EXCHANGE_URL_TEMPLATE: 'the default is the standard EWS path of an on-premises server',
  MAILKEEP_CONNECTOR_MESSAGES_IN_FLIGHT: 'the default is the benchmarked one',
  MAILKEEP_SEGMENT_THRESHOLD_BYTES: 'segments are on by default (decision 0020)',
  MAILKEEP_SEGMENT_MAX_BYTES: 'the segment defaults are the benchmarked ones (decision 0020)',
  MAILKEEP_SEGMENT_MAX_AGE_MS: 'the segment defaults are the benchmarked ones (decision 0020)',
  MAILKEEP_SEGMENT_LINGER_MS: 'the segment defaults are the benchmarked ones (decision 0020)',
  MAILKEEP_SCHEDULER_DISPATCH_LEASE_SECONDS: 'the defaults suit production (SPEC SC5)',
  MAILKEEP_SCHEDULER_RECOVERY_SECONDS: 'the defaults suit production (SPEC SC5)',
  MAILKEEP_S3_REGION: 'MinIO and most S3 services accept the default region',
};

export { SERVICES, type ServiceEntry };
