import ts from 'typescript';
import type { Plugin } from 'vite';

/**
 * Compiles TypeScript for tests with TypeScript itself, file by file (`transpileModule`), so that
 * legacy decorators get their design-time metadata (`design:paramtypes`) as in the real build:
 * NestJS injection and TypeORM columns rely on it, and Vite's own transformer does not emit it.
 * (SWC would, but its platform packages cannot be installed by `npm ci` here; see
 * docs/decisions/0002-build-and-test-toolchain.md.)
 */
export function typescriptWithDecoratorMetadata(): Plugin {
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    sourceMap: true,
    inlineSources: true,
  };
  return {
    name: 'mailkeep:typescript-decorator-metadata',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!/\.[cm]?ts$/.test(file) || file.endsWith('.d.ts') || file.includes('/node_modules/')) return null;
      const output = ts.transpileModule(code, { compilerOptions, fileName: file });
      return { code: output.outputText, map: output.sourceMapText ?? null };
    },
  };
}
