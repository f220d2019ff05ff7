import { createRequire } from 'node:module';

import { getMetadataStorage, ValidationTypes } from 'class-validator';

/**
 * A fast path in front of class-transformer and class-validator for the payloads of every NATS
 * message. Both libraries work out a class's decorators again on every call: a connector's
 * archived event took 107 µs to convert and validate here (31 µs `plainToInstance`, 59 µs
 * `validate`), once when it is published and once when the catalog receives it. The same checks,
 * looked up once per class, take a few microseconds.
 *
 * Exactness rests on one rule: the fast path only ever answers "valid" when class-validator would
 * find no error, calling the very same constraint functions in the same order. Whenever it is not
 * sure (a check fails, a constraint is asynchronous, a decorator it does not know), it answers
 * `undefined` and the caller asks class-validator, which then also writes the error messages.
 * `compiled-validation.spec.ts` compares both verdicts on every payload class of the contracts.
 */

/** What class-validator keeps per decorator (the fields this module reads). */
interface ValidationMetadata {
  readonly type: string;
  readonly target: unknown;
  readonly propertyName: string;
  readonly constraints: unknown[];
  readonly constraintCls: object;
  readonly each?: boolean;
  readonly validateIf?: (object: object, value: unknown) => boolean;
}

interface ConstraintMetadata {
  readonly async: boolean;
  readonly instance: { validate(value: unknown, args: object): unknown };
}

interface MetadataStorage {
  getTargetValidationMetadatas(
    target: object,
    schema: string | undefined,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): ValidationMetadata[];
  getTargetValidatorConstraints(target: object): ConstraintMetadata[];
}

/** class-transformer's decorator registry: the fast conversion applies to classes without any. */
interface TransformerMetadata {
  findTypeMetadata(target: object, property: string): unknown;
  findTransformMetadatas(target: object, property: string, transformationType: number): unknown[];
  findExposeMetadataByCustomName(target: object, name: string): unknown;
  getExposedMetadatas(target: object): unknown[];
  getExcludedMetadatas(target: object): unknown[];
  getStrategy(target: object): string;
}

// The registry is not exported from class-transformer's entry point; this is the same module
// instance the entry point uses (one CommonJS module cache).
const transformerMetadata = (
  createRequire(import.meta.url)('class-transformer/cjs/storage.js') as {
    defaultMetadataStorage: TransformerMetadata;
  }
).defaultMetadataStorage;
/** Property names remembered per class; payload classes have a few dozen at most. */
const MAX_REMEMBERED_KEYS = 256;
/** class-transformer's TransformationType.PLAIN_TO_CLASS. */
const PLAIN_TO_CLASS = 0;

interface CompiledCheck {
  readonly metadata: ValidationMetadata;
  readonly constraints: readonly ConstraintMetadata[];
}

interface CompiledProperty {
  readonly name: string;
  readonly conditions: readonly ValidationMetadata[];
  readonly defined: readonly CompiledCheck[];
  readonly checks: readonly CompiledCheck[];
  readonly nested: readonly ValidationMetadata[];
}

interface CompiledClass {
  readonly name: string;
  readonly properties: readonly CompiledProperty[];
  readonly allowed: ReadonlySet<string>;
}

type Constructor = abstract new (...args: never[]) => object;

/** The decorator kinds this module knows; anything else (schemas, promises) goes to class-validator. */
const KNOWN_TYPES: ReadonlySet<string> = new Set([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
  ValidationTypes.NESTED_VALIDATION,
]);

const compiledClasses = new WeakMap<object, CompiledClass | null>();

/**
 * Whether class-validator would accept `instance` with `whitelist`, `forbidNonWhitelisted` and
 * `forbidUnknownValues` (the options of every payload): true only when it certainly would,
 * undefined when class-validator has to be asked.
 */
export function certainlyValid(instance: object): true | undefined {
  return validObject(instance) ? true : undefined;
}

/**
 * `plainToInstance(cls, plain)` for the common case, or undefined when class-transformer has to do
 * it: a class without class-transformer decorators and a plain object whose values are all
 * primitives, none of them named like something on the class's prototype. class-transformer then
 * creates the instance and copies each value as it is, which is all this does.
 */
export function flatInstance<T extends object>(cls: new () => T, plain: object): T | undefined {
  if (hasTransformerMetadata(cls)) return undefined;
  const instance = new cls() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    const value = (plain as Record<string, unknown>)[key];
    // On the prototype (`__proto__`, `constructor`, a method or accessor) or a method of the
    // instance: class-transformer has rules for those, so it decides.
    if (key in cls.prototype || typeof instance[key] === 'function') return undefined;
    if (!isPrimitive(value) || propertyHasTransform(cls, key)) return undefined;
    instance[key] = value;
  }
  return instance as T;
}

function validObject(object: object): boolean {
  const compiled = compiledClassOf(object);
  if (!compiled) return false;
  for (const key of Object.keys(object)) if (!compiled.allowed.has(key)) return false;
  for (const property of compiled.properties) {
    const value = (object as Record<string, unknown>)[property.name];
    if (!validProperty(compiled, property, object, value)) return false;
  }
  return true;
}

/** class-validator's performValidations without skip options, answering only "no error". */
function validProperty(
  compiled: CompiledClass,
  property: CompiledProperty,
  object: object,
  value: unknown,
): boolean {
  if (value instanceof Promise) return false; // class-validator may await it: ask it
  // Every condition is evaluated, as class-validator does, and all must hold to validate.
  let validate = true;
  for (const condition of property.conditions) {
    const holds = (condition.constraints[0] as (object: object, value: unknown) => boolean)(object, value);
    validate &&= holds;
  }
  if (!validate) return true;
  if (!passes(compiled, property.defined, object, value)) return false;
  if (!passes(compiled, property.checks, object, value)) return false;
  return validNested(property.nested, value);
}

function passes(
  compiled: CompiledClass,
  checks: readonly CompiledCheck[],
  object: object,
  value: unknown,
): boolean {
  for (const { metadata, constraints } of checks) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    const args = {
      targetName: compiled.name,
      property: metadata.propertyName,
      object,
      value,
      constraints: metadata.constraints,
    };
    const items = metadata.each ? collectionItems(value) : undefined;
    for (const constraint of constraints) {
      const values = items ?? [value];
      for (const item of values) {
        if (constraint.instance.validate(item, args) !== true) return false; // a promise too
      }
    }
  }
  return true;
}

/** class-validator's nestedValidations: undefined passes, collections item by item, objects whole. */
function validNested(nested: readonly ValidationMetadata[], value: unknown): boolean {
  if (value === undefined) return true;
  for (let index = 0; index < nested.length; index++) {
    const items = collectionItems(value);
    if (items) {
      for (const item of items) if (!validNested(nested, item)) return false;
    } else if (value instanceof Object) {
      if (!validObject(value)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function collectionItems(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (value instanceof Set) return [...(value as Set<unknown>)];
  if (value instanceof Map) return [...(value as Map<unknown, unknown>).values()];
  return undefined;
}

function compiledClassOf(object: object): CompiledClass | null {
  const cls = (object as { constructor?: unknown }).constructor;
  if (typeof cls !== 'function') return null;
  let compiled = compiledClasses.get(cls);
  if (compiled === undefined) {
    compiled = compile(cls as Constructor);
    compiledClasses.set(cls, compiled);
  }
  return compiled;
}

/** The class's decorators as class-validator gathers them for `validate` without groups; null when unsupported. */
function compile(cls: Constructor): CompiledClass | null {
  const storage = getMetadataStorage() as unknown as MetadataStorage;
  const metadatas = storage.getTargetValidationMetadatas(cls, undefined, false, false, undefined);
  // forbidUnknownValues: an object of a class without decorators is an error.
  if (metadatas.length === 0) return null;
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of metadatas) {
    if (!KNOWN_TYPES.has(metadata.type) || typeof metadata.target !== 'function') return null;
    const list = byProperty.get(metadata.propertyName) ?? [];
    list.push(metadata);
    byProperty.set(metadata.propertyName, list);
  }
  const check = (metadata: ValidationMetadata): CompiledCheck | null => {
    const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
    return constraints.some((constraint) => constraint.async) ? null : { metadata, constraints };
  };
  const properties: CompiledProperty[] = [];
  for (const [name, list] of byProperty) {
    const defined = list.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(check);
    const checks = list.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map(check);
    if ([...defined, ...checks].includes(null)) return null;
    properties.push({
      name,
      conditions: list.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION),
      defined: defined as CompiledCheck[],
      checks: checks as CompiledCheck[],
      nested: list.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  return { name: cls.name, properties, allowed: new Set(byProperty.keys()) };
}

const transformerFreeClasses = new WeakMap<object, boolean>();

function hasTransformerMetadata(cls: object): boolean {
  let has = transformerFreeClasses.get(cls);
  if (has === undefined) {
    has =
      transformerMetadata.getExposedMetadatas(cls).length > 0 ||
      transformerMetadata.getExcludedMetadatas(cls).length > 0 ||
      transformerMetadata.getStrategy(cls) !== 'none';
    transformerFreeClasses.set(cls, has);
  }
  return has;
}

const transformedProperties = new WeakMap<object, Map<string, boolean>>();

/** Whether class-transformer has a rule for this property (looked up once per class and key). */
function propertyHasTransform(cls: object, key: string): boolean {
  let known = transformedProperties.get(cls);
  if (!known) transformedProperties.set(cls, (known = new Map<string, boolean>()));
  let has = known.get(key);
  if (has === undefined) {
    has =
      transformerMetadata.findTypeMetadata(cls, key) !== undefined ||
      transformerMetadata.findTransformMetadatas(cls, key, PLAIN_TO_CLASS).length > 0 ||
      transformerMetadata.findExposeMetadataByCustomName(cls, key) !== undefined;
    // Keys come from received payloads: bounded, so a sender inventing names cannot grow the map
    // (such payloads fail validation anyway).
    if (known.size < MAX_REMEMBERED_KEYS) known.set(key, has);
  }
  return has;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}
