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
}

const appsDir = new URL('../../', import.meta.url);

export const SERVICES: readonly ServiceEntry[] = [
  { name: 'api', entry: fileURLToPath(new URL('api/dist/main.js', appsDir)) },
  { name: 'directory', entry: fileURLToPath(new URL('directory/dist/main.js', appsDir)) },
  { name: 'secrets', entry: fileURLToPath(new URL('secrets/dist/main.js', appsDir)) },
  { name: 'profiles', entry: fileURLToPath(new URL('profiles/dist/main.js', appsDir)) },
  { name: 'scheduler', entry: fileURLToPath(new URL('scheduler/dist/main.js', appsDir)) },
  { name: 'connector-pop3', entry: fileURLToPath(new URL('connector-pop3/dist/main.js', appsDir)) },
];
