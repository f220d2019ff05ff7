import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests run against the libraries' sources, not their build output: every @mailkeep/<lib> maps to its src.
const libAliases = Object.fromEntries(
  readdirSync(`${root}libs`).map((lib) => [`@mailkeep/${lib}`, `${root}libs/${lib}/src/index.ts`]),
);

export default defineConfig({
  // NestJS and TypeORM read decorator metadata (design:paramtypes); SWC emits it, esbuild/oxc do not.
  plugins: [
    swc.vite({
      jsc: {
        target: 'es2023',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
      module: { type: 'es6' },
    }),
  ],
  resolve: { alias: libAliases },
  test: {
    include: ['{apps,libs}/*/src/**/*.{spec,int-spec}.ts', 'test/**/*.{spec,e2e-spec}.ts'],
    environment: 'node',
    pool: 'forks',
    // Integration tests talk to real PostgreSQL, NATS and child processes; give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
