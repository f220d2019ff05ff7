import { fileURLToPath } from 'node:url';

import { ConfigError } from '@mailkeep/config';
import type { ProfileType } from '@mailkeep/contracts';

import type { NatsUser } from './nats-users.js';

/**
 * The services of the platform, each its own Node process from its own entry point. The
 * launcher never imports them (apps do not import apps); it starts their built entry files.
 * Add a service here when it exists.
 */
export interface ServiceEntry {
  readonly name: string;
  /** Absolute path of the built entry point. */
  readonly entry: string;
  /** The NATS user it connects as when the per-service passwords are configured. */
  readonly natsUser: NatsUser;
  /** Node options of the service's process. */
  readonly nodeOptions?: readonly string[];
  /**
   * For a connector pool, the profile type whose tasks it takes (its work-queue consumer): the
   * deployment manifests scale the pool on that consumer's queue lag (deploy/kubernetes).
   */
  readonly connectorType?: ProfileType;
}

/**
 * Connector workers stream messages of any size at a high allocation rate; V8's young generation
 * then grows to tens of MB before it is collected. Pinned at 2 MB per semi-space, a worker's RSS
 * grows by ~15 MiB archiving a 150 MB message instead of ~90 MiB (apps/connector-imap README),
 * for a few more, cheap scavenges.
 */
const CONNECTOR_NODE_OPTIONS = ['--max-semi-space-size=2'];

const appsDir = new URL('../../', import.meta.url);

export const SERVICES: readonly ServiceEntry[] = [
  { name: 'api', natsUser: 'api', entry: fileURLToPath(new URL('api/dist/main.js', appsDir)) },
  {
    name: 'directory',
    natsUser: 'directory',
    entry: fileURLToPath(new URL('directory/dist/main.js', appsDir)),
  },
  { name: 'secrets', natsUser: 'secrets', entry: fileURLToPath(new URL('secrets/dist/main.js', appsDir)) },
  { name: 'profiles', natsUser: 'profiles', entry: fileURLToPath(new URL('profiles/dist/main.js', appsDir)) },
  {
    name: 'scheduler',
    natsUser: 'scheduler',
    entry: fileURLToPath(new URL('scheduler/dist/main.js', appsDir)),
  },
  { name: 'catalog', natsUser: 'catalog', entry: fileURLToPath(new URL('catalog/dist/main.js', appsDir)) },
  {
    name: 'connector-imap',
    natsUser: 'connector',
    connectorType: 'imap',
    entry: fileURLToPath(new URL('connector-imap/dist/main.js', appsDir)),
    nodeOptions: CONNECTOR_NODE_OPTIONS,
  },
  {
    name: 'connector-pop3',
    natsUser: 'connector',
    connectorType: 'pop3',
    entry: fileURLToPath(new URL('connector-pop3/dist/main.js', appsDir)),
    nodeOptions: CONNECTOR_NODE_OPTIONS,
  },
  {
    name: 'connector-m365',
    natsUser: 'connector',
    connectorType: 'm365',
    entry: fileURLToPath(new URL('connector-m365/dist/main.js', appsDir)),
    nodeOptions: CONNECTOR_NODE_OPTIONS,
  },
  {
    name: 'connector-google-workspace',
    natsUser: 'connector',
    connectorType: 'google-workspace',
    entry: fileURLToPath(new URL('connector-google/dist/main.js', appsDir)),
    nodeOptions: CONNECTOR_NODE_OPTIONS,
  },
  {
    name: 'connector-exchange',
    natsUser: 'connector',
    connectorType: 'exchange',
    entry: fileURLToPath(new URL('connector-exchange/dist/main.js', appsDir)),
    nodeOptions: CONNECTOR_NODE_OPTIONS,
  },
];

/**
 * The services MAILKEEP_SERVICES names (comma-separated), in the platform's order; every service
 * when it is empty. An unknown name stops the launcher naming the variable, never a silent skip.
 */
export function selectServices(names: string): readonly ServiceEntry[] {
  if (names === '') return SERVICES;
  const wanted = new Set(names.split(','));
  const unknown = [...wanted].filter((name) => !SERVICES.some((service) => service.name === name));
  if (unknown.length > 0) {
    const known = SERVICES.map((service) => service.name).join(', ');
    throw new ConfigError(
      ['MAILKEEP_SERVICES'],
      [`MAILKEEP_SERVICES: unknown service ${unknown.join(', ')} (known: ${known})`],
    );
  }
  return SERVICES.filter((service) => wanted.has(service.name));
}
