import { getMetadataStorage } from 'class-validator';
import { type EnvClass, type EnvVarMetadata, ownEnvVars } from './env-var.js';

/** One class validated on its own, and the variables it contributes. */
export interface EnvPart {
  readonly cls: EnvClass;
  readonly vars: readonly EnvVarMetadata[];
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** The instance type of a class composed from `C`: every fragment's properties at once. */
export type ComposedEnv<C extends readonly EnvClass[]> = UnionToIntersection<InstanceType<C[number]>>;

const FRAGMENTS = Symbol('mailkeep.config.fragments');

interface ComposedClass {
  [FRAGMENTS]?: readonly EnvClass[];
}

function fragmentsOf(cls: object): readonly EnvClass[] | undefined {
  return Object.hasOwn(cls, FRAGMENTS) ? (cls as ComposedClass)[FRAGMENTS] : undefined;
}

/**
 * The parts `loadConfig` validates for `cls`. A composed class contributes its fragments; a class
 * that extends a composed class (to add an app's own variables) contributes the fragments and
 * itself; a plain fragment, including one that extends another fragment, is a single part.
 */
export function envParts(cls: EnvClass): EnvPart[] {
  const parts: EnvPart[] = [];
  const own: EnvVarMetadata[] = [];
  // Walk the class chain (a class's prototype is its base class) up to Function.prototype.
  for (
    let c: object | null = cls;
    c !== null && c !== Function.prototype;
    c = Object.getPrototypeOf(c) as object | null
  ) {
    const fragments = fragmentsOf(c);
    if (fragments !== undefined) {
      parts.push(...fragments.flatMap(envParts));
      break;
    }
    // Base-class variables come first, as in declaration order.
    own.unshift(...ownEnvVars(c));
  }
  assertEveryRuleIsOnAVariable(cls, own);
  if (own.length > 0) parts.push({ cls, vars: own });

  const seen = new Set<string>();
  for (const v of parts.flatMap((p) => p.vars)) {
    if (seen.has(v.name))
      throw new TypeError(`${v.name} is declared by more than one fragment of ${cls.name}`);
    seen.add(v.name);
  }
  return parts;
}

/** A rule on an undeclared property would never run: a programming error, reported loudly. */
function assertEveryRuleIsOnAVariable(cls: EnvClass, vars: readonly EnvVarMetadata[]): void {
  const declared = new Set(vars.map((v) => v.name));
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
    if (!declared.has(rule.propertyName)) {
      throw new TypeError(
        `${cls.name}.${rule.propertyName} has validation rules but no @EnvVar(description)`,
      );
    }
  }
}

/**
 * One env class made of several fragments: `composeEnv(HttpEnv, NatsEnv, DatabaseEnv)`.
 *
 * Rather than copying class-validator/class-transformer metadata onto a new class (what
 * `IntersectionType` does through those libraries' internal storages), the composed class
 * remembers its fragments and `loadConfig` validates each fragment with its own metadata.
 * Instantiating the composed class yields every fragment's defaults.
 */
export function composeEnv<const C extends readonly EnvClass[]>(...fragments: C): EnvClass<ComposedEnv<C>> {
  // Nested compositions are flattened, and the same fragment reached twice (e.g. through two
  // compositions) is kept once: it is the same variables with the same rules.
  const unique = [...new Set(fragments.flatMap((fragment) => fragmentsOf(fragment) ?? [fragment]))];
  class Composed {
    static readonly [FRAGMENTS]: readonly EnvClass[] = unique;

    constructor() {
      for (const fragment of unique) Object.assign(this, new fragment());
    }
  }
  Object.defineProperty(Composed, 'name', { value: `Env(${unique.map((f) => f.name).join(', ')})` });
  // Validate the composition now (duplicate variable names) rather than at start-up.
  envParts(Composed);
  return Composed as unknown as EnvClass<ComposedEnv<C>>;
}
