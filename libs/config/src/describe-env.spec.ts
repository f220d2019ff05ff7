import { readFile } from 'node:fs/promises';
import { getMetadataStorage } from 'class-validator';
import { describe, expect, it } from 'vitest';
import * as config from './index.js';
import { composeEnv, describeEnv, ENV_FRAGMENTS, renderEnvExample, type EnvClass } from './index.js';

const ENV_EXAMPLE = new URL('../../../.env.example', import.meta.url);
const ALL = composeEnv(...ENV_FRAGMENTS);

describe('describeEnv', () => {
  it('describes each variable with its default and secrecy', () => {
    const vars = describeEnv(ALL);
    expect(vars.find((v) => v.name === 'MAILKEEP_HTTP_PORT')).toEqual({
      name: 'MAILKEEP_HTTP_PORT',
      default: '8080',
      secret: false,
      description: 'Port the HTTP API and console listen on.',
      fragment: 'HttpEnv',
    });
    expect(vars.find((v) => v.name === 'MAILKEEP_NATS_URL')?.default).toBe('nats://127.0.0.1:4222');
    // The documented default is the one written in the environment, not the resolved path.
    expect(vars.find((v) => v.name === 'MAILKEEP_DATA_DIR')?.default).toBe('./data');
    expect(vars.filter((v) => v.secret).map((v) => v.name)).toEqual([
      'MAILKEEP_NATS_URL',
      'MAILKEEP_NATS_PASSWORD_API',
      'MAILKEEP_NATS_PASSWORD_SECRETS',
      'MAILKEEP_NATS_PASSWORD_DIRECTORY',
      'MAILKEEP_NATS_PASSWORD_PROFILES',
      'MAILKEEP_NATS_PASSWORD_SCHEDULER',
      'MAILKEEP_NATS_PASSWORD_CATALOG',
      'MAILKEEP_NATS_PASSWORD_CONNECTOR',
      'MAILKEEP_DATABASE_URL',
      'MAILKEEP_BOOTSTRAP_API_KEY',
      'MAILKEEP_AUDIT_KEY',
      'MAILKEEP_MASTER_KEY',
      'MAILKEEP_MASTER_KEY_PREVIOUS',
      'MAILKEEP_S3_SECRET_KEY',
    ]);
    expect(vars.find((v) => v.name === 'MAILKEEP_MASTER_KEY')).not.toHaveProperty('default');
    // The egress lists default to no extra entries: an empty line in .env.example, not a value.
    expect(vars.filter((v) => v.fragment === 'EgressEnv').map((v) => [v.name, v.default])).toEqual([
      ['MAILKEEP_EGRESS_ALLOW', ''],
      ['MAILKEEP_EGRESS_DENY', ''],
    ]);
  });

  it('covers every variable named by the spec (O1)', () => {
    const names = describeEnv(ALL).map((v) => v.name);
    for (const name of [
      'MAILKEEP_HTTP_PORT',
      'MAILKEEP_NATS_URL',
      'MAILKEEP_DATABASE_URL',
      'MAILKEEP_DATA_DIR',
      'MAILKEEP_MASTER_KEY',
      'MAILKEEP_BOOTSTRAP_API_KEY',
      'MAILKEEP_S3_ENDPOINT',
      'MAILKEEP_S3_ACCESS_KEY',
      'MAILKEEP_S3_SECRET_KEY',
      'MAILKEEP_S3_BUCKET',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('fragments', () => {
  const exportedFragments = Object.values(config).filter(
    (value): value is EnvClass =>
      typeof value === 'function' && value.name.endsWith('Env') && describeEnv(value as EnvClass).length > 0,
  );

  it('ENV_FRAGMENTS lists every exported fragment', () => {
    expect(exportedFragments.length).toBeGreaterThanOrEqual(8);
    expect(new Set(ENV_FRAGMENTS)).toEqual(new Set(exportedFragments));
  });

  it('every rule has its own message, and no message can quote the value', () => {
    for (const fragment of ENV_FRAGMENTS) {
      for (const rule of getMetadataStorage().getTargetValidationMetadatas(fragment, '', true, false)) {
        // Conditional/optional markers carry no message; every real rule must.
        if (rule.type === 'conditionalValidation') continue;
        expect(typeof rule.message, `${fragment.name}.${rule.propertyName} ${rule.name ?? rule.type}`).toBe(
          'string',
        );
        expect(String(rule.message)).not.toMatch(/\$value|\$constraint/);
      }
    }
  });
});

describe('.env.example', () => {
  it('lists every variable of every fragment', async () => {
    const text = await readFile(ENV_EXAMPLE, 'utf8');
    for (const fragment of ENV_FRAGMENTS) {
      for (const v of describeEnv(fragment)) {
        expect(text, `${v.name} missing from .env.example`).toMatch(new RegExp(`^# ${v.name}=`, 'm'));
      }
    }
    // Nothing secret is filled in: secrets show their (public, in-code) default or nothing.
    for (const v of describeEnv(ALL).filter((d) => d.secret)) {
      expect(text).toContain(`\n# ${v.name}=${v.default ?? ''}\n`);
    }
    expect(text).toContain('\n# MAILKEEP_MASTER_KEY=\n');
  });

  it('is the rendering of describeEnv (update with `npx vitest run libs/config -u`)', async () => {
    await expect(renderEnvExample(ALL)).toMatchFileSnapshot(ENV_EXAMPLE.pathname);
  });
});
