import { envParts } from './compose-env.js';
import type { EnvClass } from './env-var.js';

export interface EnvVarDescription {
  readonly name: string;
  /** The default as it would be written in the environment; absent when the variable has none. */
  readonly default?: string;
  readonly secret: boolean;
  readonly description: string;
  /** The fragment class that declares it (used to group `.env.example`). */
  readonly fragment: string;
}

/** Every variable `cls` reads, in declaration order, for documentation and tooling. */
export function describeEnv(cls: EnvClass): EnvVarDescription[] {
  return envParts(cls).flatMap((part) => {
    const defaults = new part.cls() as Record<string, unknown>;
    return part.vars.map((v) => {
      const value = defaults[v.name];
      const description: EnvVarDescription = {
        name: v.name,
        secret: v.secret,
        description: v.description,
        fragment: part.cls.name,
      };
      return value === undefined ? description : { ...description, default: formatDefault(value) };
    });
  });
}

function formatDefault(value: unknown): string {
  // Lists are written back as the comma-separated form they are read from.
  if (Array.isArray(value)) return value.map(String).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The text of `.env.example` for `cls`: every variable commented out with its description and
 * default. Nothing but defaults is ever written, so no secret can end up in the file.
 */
export function renderEnvExample(cls: EnvClass): string {
  const lines = [
    '# Mailkeep environment variables. All are commented out: the values shown are the defaults, and the',
    '# defaults start a local platform on one machine. Never commit real secrets.',
    '# Generated from libs/config (describeEnv); regenerate with `npx vitest run libs/config -u`.',
  ];
  let fragment: string | undefined;
  for (const v of describeEnv(cls)) {
    if (v.fragment !== fragment) {
      fragment = v.fragment;
      lines.push('', `# --- ${fragment} ---`);
    }
    lines.push(`# ${v.description}${v.secret ? ' (secret)' : ''}`);
    // A secret's default is written in the source anyway (the local database URL has no password).
    lines.push(`# ${v.name}=${v.default ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}
