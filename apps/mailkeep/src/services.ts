import { fileURLToPath } from 'node:url';

/**
 * The services of the platform, each its own Node process from its own entry point. The
 * launcher never imports them (apps do not import apps); it starts their built entry files.
 * Add a service here when it exists.
 */
export interface ServiceEntry {
  readonly name: string;
  /** Absolute path of the built entry point. */
  readonly entry: string;
  /** Node options of the service's process. */
  readonly nodeOptions?: readonly string[];
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
  { name: 'api', entry: fileURLToPath(new URL('api/dist/main.js', appsDir)) },
  { name: 'directory', entry: fileURLToPath(new URL('directory/dist/main.js', appsDir)) },
  { name: 'secrets', entry: fileURLToPath(new URL('secrets/dist/main.js', appsDir)) },
  { name: 'profiles', entry: fileURLToPath(new URL('profiles/dist/main.js', appsDir)) },
  { name: 'scheduler', entry: fileURLToPath(new URL('scheduler/dist/main.js', appsDir)) },
  { name: 'catalog', entry: fileURLToPath(new URL('catalog/dist/main.js', appsDir)) },
  {
    name: 'connector-imap',
    entry: fileURLToPath(new URL('connector-imap/dist/main.js', appsDir)),
    nodeOptions: CONNECTOR_NODE_OPTIONS,
  },
  {
    name: 'connector-pop3',
    entry: fileURLToPath(new URL('connector-pop3/dist/main.js', appsDir)),
    nodeOptions: CONNECTOR_NODE_OPTIONS,
  },
  {
    name: 'connector-m365',
    entry: fileURLToPath(new URL('connector-m365/dist/main.js', appsDir)),
    nodeOptions: CONNECTOR_NODE_OPTIONS,
  },
];
