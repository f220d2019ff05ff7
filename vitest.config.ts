import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

import { typescriptWithDecoratorMetadata } from './tools/vite-typescript-decorators.js';
import { ProjectOrderSequencer } from './tools/vitest-project-order.js';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests run against the libraries' sources, not their build output: every @mailkeep/<lib> maps to its src.
// The browser-safe subpath comes first: an alias also matches the imports below its name.
const libAliases: Record<string, string> = {
  '@mailkeep/contracts/profile-table': `${root}libs/contracts/src/profiles/profile-table.ts`,
  ...Object.fromEntries(
    readdirSync(`${root}libs`).map((lib) => [`@mailkeep/${lib}`, `${root}libs/${lib}/src/index.ts`]),
  ),
};

export default defineConfig({
  // NestJS and TypeORM read decorator metadata (design:paramtypes) as the build emits it: the plugin
  // compiles files with decorators with TypeScript and the rest with oxc; Vite's own pass is off.
  plugins: [typescriptWithDecoratorMetadata()],
  oxc: false,
  resolve: { alias: libAliases },
  test: {
    environment: 'node',
    pool: 'forks',
    // The HTTPS fakes' CA must be in NODE_EXTRA_CA_CERTS before the forks start (libs/testing README).
    globalSetup: ['libs/testing/src/fakes/test-ca.global-setup.ts'],
    // Integration tests talk to real PostgreSQL, NATS and child processes; give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // Two files at once in every project, all projects in one pool (a project with a maxWorkers of
    // its own would run in a group of its own, before or after the rest): on 2 cores, the fault
    // and end-to-end files mostly wait for leases, restarts and platform starts, and the other
    // worker uses that time. Vitest's default here would be one worker (cores - 1).
    maxWorkers: 2,
    // The longest files first (ProjectOrderSequencer), so that none of them starts last.
    sequence: { sequencer: ProjectOrderSequencer },
    // `vitest run` runs every project; `vitest run --project unit` (npm run test:unit) the fast ones.
    // Each project inherits the options above (extends: true), the test-CA globalSetup included.
    projects: [
      // One module graph per worker, not per file: most of the loop's time was every file loading
      // Nest, TypeORM and the contracts again. Unit specs keep no state in modules or process.env.
      project('unit', ['{apps,libs}/*/src/**/*.spec.ts', 'test/**/*.spec.ts'], { isolate: false }),
      // Also the checks that start tools rather than call code (ESLint over the project graph,
      // kubectl kustomize): seconds each, too slow for the unit loop.
      project('integration', ['{apps,libs}/*/src/**/*.int-spec.ts', 'test/**/*.int-spec.ts']),
      project('e2e', ['test/**/*.e2e-spec.ts']),
      // Services SIGKILLed and restarted against their own NATS, PostgreSQL and Dovecot (test/faults/README.md).
      project('faults', ['test/faults/**/*.fault-spec.ts'], { testTimeout: 240_000 }),
    ],
  },
});

function project(
  name: string,
  include: string[],
  overrides: { testTimeout?: number; isolate?: boolean } = {},
) {
  return { extends: true, test: { name, include, ...overrides } } as const;
}
