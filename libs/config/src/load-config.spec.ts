import { isAbsolute, resolve } from 'node:path';
import { IsInt } from 'class-validator';
import { describe, expect, it } from 'vitest';
import {
  BootstrapEnv,
  composeEnv,
  ConfigError,
  DatabaseEnv,
  DataDirEnv,
  ENV_FRAGMENTS,
  EnvVar,
  HttpEnv,
  loadConfig,
  MasterKeyEnv,
  NatsEnv,
  RuntimeEnv,
  S3Env,
  type EnvClass,
} from './index.js';

/** Loads `cls` and returns the ConfigError it throws (failing the test when it does not). */
function configError(cls: EnvClass, env: Record<string, string>): ConfigError {
  try {
    loadConfig(cls, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const KEY_32_BYTES = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig defaults', () => {
  it('applies every default when nothing is set', () => {
    const env = loadConfig(composeEnv(...ENV_FRAGMENTS), {});
    expect(env).toEqual({
      MAILKEEP_HTTP_PORT: 8080,
      MAILKEEP_HTTP_HOST: '127.0.0.1',
      MAILKEEP_NATS_URL: ['nats://127.0.0.1:4222'],
      MAILKEEP_NATS_REPLICAS: 1,
      MAILKEEP_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mailkeep',
      MAILKEEP_DATA_DIR: resolve('./data'),
      MAILKEEP_ENV: 'development',
      MAILKEEP_LOG_LEVEL: 'info',
      MAILKEEP_S3_BUCKET: 'mailkeep',
      MAILKEEP_S3_REGION: 'us-east-1',
      MAILKEEP_SCHEDULER_DISPATCH_LEASE_SECONDS: 60,
      MAILKEEP_SCHEDULER_RECOVERY_SECONDS: 15,
      MAILKEEP_SERVICES: '',
      MAILKEEP_CONNECTOR_CONCURRENCY: 4,
      MAILKEEP_CONNECTOR_MESSAGES_IN_FLIGHT: 8,
      MAILKEEP_SEGMENT_THRESHOLD_BYTES: 262144,
      MAILKEEP_SEGMENT_MAX_BYTES: 16777216,
      MAILKEEP_SEGMENT_MAX_AGE_MS: 1000,
      MAILKEEP_SEGMENT_LINGER_MS: 2,
      MAILKEEP_EGRESS_ALLOW: [],
      MAILKEEP_EGRESS_DENY: [],
      MAILKEEP_M365_AUTHORITY_URL: 'https://login.microsoftonline.com',
      MAILKEEP_M365_GRAPH_URL: 'https://graph.microsoft.com',
      MAILKEEP_M365_REQUESTS_IN_FLIGHT: 16,
      MAILKEEP_GOOGLE_TOKEN_URL: 'https://oauth2.googleapis.com/token',
      MAILKEEP_GOOGLE_GMAIL_URL: 'https://gmail.googleapis.com',
      MAILKEEP_GOOGLE_ADMIN_URL: 'https://admin.googleapis.com',
      MAILKEEP_EXCHANGE_URL_TEMPLATE: 'https://{serverName}/EWS/Exchange.asmx',
    });
  });

  it('treats empty and blank values as unset', () => {
    const env = loadConfig(composeEnv(HttpEnv, RuntimeEnv), {
      MAILKEEP_HTTP_PORT: '',
      MAILKEEP_LOG_LEVEL: '  ',
      MAILKEEP_OTLP_ENDPOINT: '',
    });
    expect(env.MAILKEEP_HTTP_PORT).toBe(8080);
    expect(env.MAILKEEP_LOG_LEVEL).toBe('info');
    expect(env).not.toHaveProperty('MAILKEEP_OTLP_ENDPOINT');
  });

  it('reads process.env when no environment is given', () => {
    // Nothing in the test environment sets this variable; the default proves process.env was read without failing.
    expect(loadConfig(HttpEnv).MAILKEEP_HTTP_PORT).toBe(Number(process.env['MAILKEEP_HTTP_PORT'] || 8080));
  });
});

describe('loadConfig conversions', () => {
  it('converts and normalises values', () => {
    const env = loadConfig(composeEnv(HttpEnv, NatsEnv, DataDirEnv, RuntimeEnv, MasterKeyEnv), {
      MAILKEEP_HTTP_PORT: ' 9090\n',
      MAILKEEP_NATS_URL: 'nats://a:4222, tls://b.example:4223,',
      MAILKEEP_DATA_DIR: 'var/mailkeep',
      MAILKEEP_ENV: 'production',
      MAILKEEP_LOG_LEVEL: 'trace',
      MAILKEEP_OTLP_ENDPOINT: 'https://otel.example:4318',
      MAILKEEP_METRICS_PORT: '9464',
      MAILKEEP_MASTER_KEY_FILE: 'secrets/master.key',
    });
    expect(env.MAILKEEP_HTTP_PORT).toBe(9090);
    expect(env.MAILKEEP_NATS_URL).toEqual(['nats://a:4222', 'tls://b.example:4223']);
    expect(env.MAILKEEP_DATA_DIR).toBe(resolve('var/mailkeep'));
    expect(isAbsolute(env.MAILKEEP_DATA_DIR)).toBe(true);
    expect(env.MAILKEEP_ENV).toBe('production');
    expect(env.MAILKEEP_LOG_LEVEL).toBe('trace');
    expect(env.MAILKEEP_OTLP_ENDPOINT).toBe('https://otel.example:4318');
    expect(env.MAILKEEP_METRICS_PORT).toBe(9464);
    expect(env.MAILKEEP_MASTER_KEY_FILE).toBe(resolve('secrets/master.key'));
  });

  it('accepts valid optional secrets and S3 settings', () => {
    const env = loadConfig(composeEnv(BootstrapEnv, MasterKeyEnv, S3Env, DatabaseEnv), {
      MAILKEEP_BOOTSTRAP_API_KEY: 'a'.repeat(31) + '-_Z9',
      MAILKEEP_MASTER_KEY: KEY_32_BYTES,
      MAILKEEP_S3_ENDPOINT: 'http://127.0.0.1:9000',
      MAILKEEP_S3_ACCESS_KEY: 'minio',
      MAILKEEP_S3_SECRET_KEY: 'minio-secret',
      MAILKEEP_S3_BUCKET: 'archive.eu-1',
      MAILKEEP_DATABASE_URL: 'postgresql://app:pw@db:5432/mailkeep',
    });
    expect(env.MAILKEEP_MASTER_KEY).toBe(KEY_32_BYTES);
    expect(env.MAILKEEP_S3_SECRET_KEY).toBe('minio-secret');
    expect(env.MAILKEEP_S3_BUCKET).toBe('archive.eu-1');
  });

  it('returns a deeply frozen instance of the class', () => {
    const Env = composeEnv(HttpEnv, NatsEnv);
    const env = loadConfig(Env, {});
    expect(env).toBeInstanceOf(Env);
    expect(Object.isFrozen(env)).toBe(true);
    expect(Object.isFrozen(env.MAILKEEP_NATS_URL)).toBe(true);
  });
});

describe('loadConfig rules', () => {
  // [fragment, variable, bad value, message after the variable name, other variables the case needs]
  const cases: [EnvClass, string, string, string, Record<string, string>?][] = [
    [HttpEnv, 'MAILKEEP_HTTP_PORT', 'http', 'must be an integer between 1 and 65535'],
    [HttpEnv, 'MAILKEEP_HTTP_PORT', '0', 'must be an integer between 1 and 65535'],
    [HttpEnv, 'MAILKEEP_HTTP_PORT', '65536', 'must be an integer between 1 and 65535'],
    [HttpEnv, 'MAILKEEP_HTTP_PORT', '80.5', 'must be an integer between 1 and 65535'],
    [HttpEnv, 'MAILKEEP_HTTP_PORT', '0x50', 'must be an integer between 1 and 65535'],
    [
      NatsEnv,
      'MAILKEEP_NATS_URL',
      'http://127.0.0.1:4222',
      'must be a comma-separated list of nats:// or tls:// URLs',
    ],
    [
      NatsEnv,
      'MAILKEEP_NATS_URL',
      'nats://ok:4222,127.0.0.1:4222',
      'must be a comma-separated list of nats:// or tls:// URLs',
    ],
    [NatsEnv, 'MAILKEEP_NATS_URL', ',', 'must be a comma-separated list of nats:// or tls:// URLs'],
    [
      HttpEnv,
      'MAILKEEP_HTTP_HOST',
      'localhost:8080',
      'must be an IP address (127.0.0.1, 0.0.0.0, ::, or an address of this host)',
    ],
    [
      DatabaseEnv,
      'MAILKEEP_DATABASE_URL',
      'mysql://root@db/mailkeep',
      'must be a postgres:// or postgresql:// URL',
    ],
    [DatabaseEnv, 'MAILKEEP_DATABASE_URL', 'not a url', 'must be a postgres:// or postgresql:// URL'],
    [RuntimeEnv, 'MAILKEEP_ENV', 'staging', 'must be one of development, production'],
    [RuntimeEnv, 'MAILKEEP_LOG_LEVEL', 'verbose', 'must be one of fatal, error, warn, info, debug, trace'],
    [RuntimeEnv, 'MAILKEEP_OTLP_ENDPOINT', 'grpc://otel:4317', 'must be an http:// or https:// URL'],
    [RuntimeEnv, 'MAILKEEP_METRICS_PORT', '-1', 'must be an integer between 1 and 65535'],
    [
      BootstrapEnv,
      'MAILKEEP_BOOTSTRAP_API_KEY',
      'short-key',
      'must be at least 32 characters of A-Z, a-z, 0-9, _ and -',
    ],
    [
      BootstrapEnv,
      'MAILKEEP_BOOTSTRAP_API_KEY',
      `${'a'.repeat(32)}!`,
      'must be at least 32 characters of A-Z, a-z, 0-9, _ and -',
    ],
    [MasterKeyEnv, 'MAILKEEP_MASTER_KEY', 'not-base64-SUPERSECRET', 'must be base64 of exactly 32 bytes'],
    [
      MasterKeyEnv,
      'MAILKEEP_MASTER_KEY',
      Buffer.alloc(16).toString('base64'),
      'must be base64 of exactly 32 bytes',
    ],
    [
      S3Env,
      'MAILKEEP_S3_ENDPOINT',
      'minio:9000',
      'must be an http:// or https:// URL',
      { MAILKEEP_S3_ACCESS_KEY: 'a', MAILKEEP_S3_SECRET_KEY: 's' },
    ],
    [
      S3Env,
      'MAILKEEP_S3_BUCKET',
      'Bad_Bucket',
      'must be a valid S3 bucket name (3-63 characters of a-z, 0-9, . and -)',
    ],
    [S3Env, 'MAILKEEP_S3_REGION', 'eu west', 'must be a region name of a-z, 0-9 and -'],
  ];

  it.each(cases)('%o rejects %s=%s', (cls, variable, value, rule, others = {}) => {
    const error = configError(cls, { ...others, [variable]: value });
    expect(error.variables).toEqual([variable]);
    expect(error.message).toContain(`\n  ${variable} ${rule}`);
    // No value is ever echoed, secret or not.
    expect(error.message).not.toContain(value);
  });

  it('never echoes a secret, even in the error object', () => {
    const error = configError(MasterKeyEnv, { MAILKEEP_MASTER_KEY: 'not-base64-SUPERSECRET' });
    expect(error.message).toBe(
      'Invalid configuration (1 variable):\n  MAILKEEP_MASTER_KEY must be base64 of exactly 32 bytes',
    );
    expect(JSON.stringify(error)).not.toContain('SUPERSECRET');
    expect(String(error.stack)).not.toContain('SUPERSECRET');
  });

  it('rejects a master key given twice', () => {
    const error = configError(MasterKeyEnv, {
      MAILKEEP_MASTER_KEY: KEY_32_BYTES,
      MAILKEEP_MASTER_KEY_FILE: '/run/secrets/key',
    });
    expect(error.variables).toEqual(['MAILKEEP_MASTER_KEY_FILE']);
    expect(error.message).toContain(
      'MAILKEEP_MASTER_KEY_FILE must not be set together with MAILKEEP_MASTER_KEY',
    );
  });

  it('requires both S3 keys with an endpoint, one error each', () => {
    const error = configError(S3Env, { MAILKEEP_S3_ENDPOINT: 'http://127.0.0.1:9000' });
    expect(error.variables).toEqual(['MAILKEEP_S3_ACCESS_KEY', 'MAILKEEP_S3_SECRET_KEY']);
    expect(error.message.split('\n').slice(1)).toEqual([
      '  MAILKEEP_S3_ACCESS_KEY is required when MAILKEEP_S3_ENDPOINT is set',
      '  MAILKEEP_S3_SECRET_KEY is required when MAILKEEP_S3_ENDPOINT is set',
    ]);
    // Without an endpoint the keys are not needed.
    expect(() => loadConfig(S3Env, {})).not.toThrow();
  });

  it('reports every bad variable of every fragment at once, one line each', () => {
    const Env = composeEnv(HttpEnv, NatsEnv, DatabaseEnv, RuntimeEnv, MasterKeyEnv, S3Env);
    const error = configError(Env, {
      MAILKEEP_HTTP_PORT: '99999',
      MAILKEEP_NATS_URL: 'localhost',
      MAILKEEP_DATABASE_URL: 'postgres://user:hunter2-SUPERSECRET@',
      MAILKEEP_LOG_LEVEL: 'loud',
      MAILKEEP_MASTER_KEY: 'not-base64-SUPERSECRET',
      MAILKEEP_S3_ENDPOINT: 'http://minio:9000',
      MAILKEEP_S3_ACCESS_KEY: 'minio',
    });
    expect(error.variables).toEqual([
      'MAILKEEP_HTTP_PORT',
      'MAILKEEP_NATS_URL',
      'MAILKEEP_DATABASE_URL',
      'MAILKEEP_LOG_LEVEL',
      'MAILKEEP_MASTER_KEY',
      'MAILKEEP_S3_SECRET_KEY',
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration (6 variables):');
    expect(lines).toHaveLength(7);
    expect(error.message).not.toContain('SUPERSECRET');
    expect(error.message).not.toContain('hunter2');
  });
});

describe('composeEnv', () => {
  it('instantiates to every fragment default', () => {
    const Env = composeEnv(HttpEnv, S3Env);
    expect({ ...new Env() }).toEqual({
      MAILKEEP_HTTP_PORT: 8080,
      MAILKEEP_HTTP_HOST: '127.0.0.1',
      MAILKEEP_S3_BUCKET: 'mailkeep',
      MAILKEEP_S3_REGION: 'us-east-1',
    });
  });

  it('nests, and lets an app add its own variables by extending a composition', () => {
    class AppEnv extends composeEnv(composeEnv(HttpEnv, NatsEnv), HttpEnv) {
      @EnvVar('An app-specific knob.')
      @IsInt({ message: 'must be an integer' })
      MAILKEEP_TEST_WORKERS = 4;
    }
    expect(loadConfig(AppEnv, {})).toMatchObject({ MAILKEEP_HTTP_PORT: 8080, MAILKEEP_TEST_WORKERS: 4 });
    const error = configError(AppEnv, { MAILKEEP_HTTP_PORT: 'x', MAILKEEP_TEST_WORKERS: 'many' });
    expect(error.variables).toEqual(['MAILKEEP_HTTP_PORT', 'MAILKEEP_TEST_WORKERS']);
  });

  it('refuses two fragments declaring the same variable', () => {
    class OtherHttpEnv {
      @EnvVar('Clash.')
      MAILKEEP_HTTP_PORT = 1;
    }
    expect(() => composeEnv(HttpEnv, OtherHttpEnv)).toThrow(
      'MAILKEEP_HTTP_PORT is declared by more than one fragment',
    );
  });

  it('refuses rules on undeclared properties and unprefixed names', () => {
    class Forgotten {
      @IsInt({ message: 'must be an integer' })
      MAILKEEP_FORGOTTEN = 1;
    }
    expect(() => composeEnv(HttpEnv, Forgotten)).toThrow(
      'Forgotten.MAILKEEP_FORGOTTEN has validation rules but no @EnvVar',
    );
    class HalfDeclared extends HttpEnv {
      @IsInt({ message: 'must be an integer' })
      MAILKEEP_HALF = 1;
    }
    expect(() => loadConfig(HalfDeclared, {})).toThrow(
      'HalfDeclared.MAILKEEP_HALF has validation rules but no @EnvVar',
    );
    expect(() => {
      class Unprefixed {
        @EnvVar('No prefix.')
        PORT = 1;
      }
      return Unprefixed;
    }).toThrow('must be named MAILKEEP_*');
  });
});
