import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { type EnvPart, envParts } from './compose-env.js';
import type { EnvClass } from './env-var.js';

/**
 * Start-up configuration is invalid. The message lists every bad variable, one line each, as
 * "<VARIABLE> <rule>", and never contains a value: values may be secrets, and a message that
 * never echoes anything cannot leak one.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** The names of the variables that failed, in declaration order. */
    readonly variables: readonly string[],
    lines: readonly string[],
  ) {
    super(
      `Invalid configuration (${lines.length} ${lines.length === 1 ? 'variable' : 'variables'}):\n  ${lines.join('\n  ')}`,
    );
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads, converts and validates the variables declared by `cls` (a fragment or a composition of
 * fragments) and returns a frozen instance. Empty values count as unset, so defaults apply.
 * Variables not declared by `cls` are ignored: other services have theirs.
 *
 * @throws ConfigError naming every variable that is wrong.
 */
export function loadConfig<T extends object>(cls: EnvClass<T>, env: Env = process.env): Readonly<T> {
  const result = new cls() as Record<string, unknown>;
  const variables: string[] = [];
  const lines: string[] = [];
  for (const part of envParts(cls)) {
    const instance = readPart(part, env);
    const errors = validateSync(instance, {
      // Keep values out of ValidationError objects too, in case one is ever logged whole.
      validationError: { target: false, value: false },
      forbidUnknownValues: true,
    });
    const byName = new Map(errors.map((error) => [error.property, error]));
    for (const { name } of part.vars) {
      const error = byName.get(name);
      if (error !== undefined) {
        variables.push(name);
        lines.push(`${name} ${describeFailure(error)}`);
      }
      const value = instance[name];
      if (value === undefined) delete result[name];
      else result[name] = value;
    }
  }
  if (lines.length > 0) throw new ConfigError(variables, lines);
  return deepFreeze(result) as Readonly<T>;
}

function readPart(part: EnvPart, env: Env): Record<string, unknown> {
  // Defaults go through the same conversion and validation as values read from the
  // environment: a relative default path is resolved, and a bad default fails loudly in tests.
  const defaults = new part.cls() as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const { name } of part.vars) {
    // Trimmed: values from files and orchestrators often end with a newline.
    const raw = env[name]?.trim();
    const value = raw === undefined || raw === '' ? defaults[name] : raw;
    if (value !== undefined) plain[name] = value;
  }
  return plainToInstance(part.cls, plain) as Record<string, unknown>;
}

function describeFailure(error: ValidationError): string {
  // One line per variable: the distinct messages of every rule it broke. All messages are
  // written in the fragments (never class-validator's defaults, some of which quote the value).
  const messages = new Set(Object.values(error.constraints ?? {}));
  return messages.size > 0 ? [...messages].join('; ') : 'is invalid';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
