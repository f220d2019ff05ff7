import ts from 'typescript';
import { transformWithOxc, type Plugin } from 'vite';

/**
 * Compiles the TypeScript of tests. A file with decorators goes through TypeScript itself, file by
 * file (`transpileModule`), so that legacy decorators get their design-time metadata
 * (`design:paramtypes`, `design:type`) exactly as in the real build: NestJS injection,
 * TypeORM columns and the contract classes rely on it. Every other file (three in four) goes
 * through oxc, some thirty times cheaper; TypeScript's transpiler was most of the unit loop's
 * time (docs/decisions/0002-build-and-test-toolchain.md).
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
    async transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!/\.[cm]?ts$/.test(file) || file.endsWith('.d.ts') || file.includes('/node_modules/')) return null;
      if (hasDecorator(code)) {
        const output = ts.transpileModule(code, { compilerOptions, fileName: file });
        return { code: output.outputText, map: output.sourceMapText ?? null };
      }
      const output = await transformWithOxc(code, file, {
        lang: 'ts',
        target: 'es2023',
        // The build's `useDefineForClassFields: false`: fields are assigned in the constructor, and
        // a field declared without a value is no own property until something assigns it.
        typescript: { removeClassFieldsWithoutInitializer: true },
        assumptions: { setPublicClassFields: true },
        // No tsconfig lookup: the options above are the whole contract, for every file alike.
        tsconfig: false,
      });
      return { code: output.code, map: output.map ?? null };
    },
  };
}

/**
 * A decorator is an `@` followed by a capitalised name at the start of a line or of a parameter
 * (`@Injectable()`, `constructor(@Inject(X) x)`); JSDoc tags are lower-case. A false positive
 * only costs a TypeScript compile.
 */
function hasDecorator(code: string): boolean {
  return /^\s*@[A-Z]|[(,]\s*@[A-Z]/m.test(code);
}
