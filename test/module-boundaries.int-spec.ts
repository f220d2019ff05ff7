import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The Nx module-boundary rule is only worth something if it fires: lint imports that break the
 * tags of CONVENTIONS.md (as if written into real files) and expect the rule to refuse them.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

beforeAll(() => {
  // The rule reads Nx's project graph; computing it is what `npm run lint` does first too.
  execFileSync(`${root}node_modules/.bin/nx`, ['show', 'projects'], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  // With CI=true typescript-eslint infers a "single run" and parses files from its TypeScript
  // program, i.e. from disk, ignoring the text given to lintText; these probes need the text.
  process.env.TSESTREE_SINGLE_RUN = 'false';
  eslint = new ESLint({ cwd: root });
}, 120_000);

describe('module boundaries', () => {
  it('keeps contracts free of internal dependencies', async () => {
    const errors = await boundaryErrors(
      'libs/contracts/src/registry.ts',
      `import { MessageBus } from '@mailkeep/messaging';\nexport const x = MessageBus;\n`,
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('keeps the testing library out of production code', async () => {
    const errors = await boundaryErrors(
      'apps/api/src/tokens.ts',
      `import { waitFor } from '@mailkeep/testing';\nexport const x = waitFor;\n`,
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids an app importing another app', async () => {
    const errors = await boundaryErrors(
      'apps/mailkeep/src/services.ts',
      `import { startApi } from '../../api/src/bootstrap.js';\nexport const x = startApi;\n`,
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('allows what the tags allow', async () => {
    const errors = await boundaryErrors(
      'apps/api/src/tokens.ts',
      `import { ContractError } from '@mailkeep/contracts';\nexport const x = ContractError;\n`,
    );
    expect(errors).toEqual([]);
  });
});
