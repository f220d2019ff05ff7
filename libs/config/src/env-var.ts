/**
 * Metadata that turns a plain class into an environment fragment: which properties are
 * environment variables, what they are for (for `.env.example`) and which hold secrets.
 *
 * The validation rules themselves stay class-validator decorators; this registry only holds
 * what class-validator has no place for.
 */

/** Every variable the platform reads carries this prefix (CONVENTIONS.md, Configuration). */
export const ENV_PREFIX = 'MAILKEEP_';

/** A class whose properties are environment variable names. Instantiating it yields the defaults. */
export type EnvClass<T = object> = new () => T;

export interface EnvVarMetadata {
  readonly name: string;
  readonly description: string;
  readonly secret: boolean;
}

interface MutableEntry {
  description?: string;
  secret: boolean;
}

// Keyed by the class that declares the property (not its subclasses), so that inheritance can be
// walked explicitly and a composed class can tell its own variables from its fragments'.
const registry = new WeakMap<object, Map<string, MutableEntry>>();

function entryFor(target: object, propertyKey: string | symbol): MutableEntry {
  if (typeof propertyKey !== 'string' || !propertyKey.startsWith(ENV_PREFIX)) {
    // A decoration mistake is a programming error: fail when the class is loaded, not at start-up.
    throw new TypeError(`Environment variables must be named ${ENV_PREFIX}*; got ${String(propertyKey)}`);
  }
  const ctor: object = target.constructor;
  let vars = registry.get(ctor);
  if (vars === undefined) {
    vars = new Map();
    registry.set(ctor, vars);
  }
  let entry = vars.get(propertyKey);
  if (entry === undefined) {
    entry = { secret: false };
    vars.set(propertyKey, entry);
  }
  return entry;
}

/**
 * Declares the property as the environment variable of the same name; the description is the
 * comment written into `.env.example`. Only declared variables are read by `loadConfig`.
 */
export function EnvVar(description: string): PropertyDecorator {
  return (target, propertyKey) => {
    entryFor(target, propertyKey).description = description;
  };
}

/**
 * Marks a variable as secret: `.env.example` never shows a value for it and tooling built on
 * `describeEnv` can mask it. (Error messages never echo any value, secret or not.)
 */
export function SecretEnv(): PropertyDecorator {
  return (target, propertyKey) => {
    entryFor(target, propertyKey).secret = true;
  };
}

/** The variables declared directly on `cls` (not inherited), in declaration order. */
export function ownEnvVars(cls: object): EnvVarMetadata[] {
  const vars = registry.get(cls);
  if (vars === undefined) return [];
  return [...vars].map(([name, entry]) => {
    if (entry.description === undefined) {
      throw new TypeError(`${className(cls)}.${name} is marked @SecretEnv() but has no @EnvVar(description)`);
    }
    return { name, description: entry.description, secret: entry.secret };
  });
}

/** The name of a class, for messages (`cls` is typed loosely because prototype chains are walked). */
export function className(cls: object): string {
  return typeof cls === 'function' ? cls.name : 'an anonymous class';
}
