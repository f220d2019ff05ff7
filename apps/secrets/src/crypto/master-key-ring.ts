import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { Logger } from '@mailkeep/observability';

/** AES-256: the master key and every data key are 32 bytes. */
export const KEY_BYTES = 32;

/** 8 bytes of SHA-256 identify a key among a handful of configured ones without revealing it. */
const KEY_ID_BYTES = 8;

export interface MasterKey {
  /** First 8 bytes of SHA-256 of the key, hex: stored beside every wrapped data key. */
  readonly id: string;
  readonly key: Buffer;
}

/** The current master key (wraps new data keys) and the earlier ones (still unwrap old rows). */
export class MasterKeyRing {
  private readonly byId: ReadonlyMap<string, MasterKey>;

  constructor(
    readonly current: MasterKey,
    previous: readonly MasterKey[] = [],
  ) {
    this.byId = new Map([...previous, current].map((k) => [k.id, k]));
  }

  /** The key with this id, or undefined when it is no longer configured. */
  find(id: string): MasterKey | undefined {
    return this.byId.get(id);
  }

  static fromKeys(current: Buffer, previous: readonly Buffer[] = []): MasterKeyRing {
    return new MasterKeyRing(masterKey(current), previous.map(masterKey));
  }
}

export function masterKey(key: Buffer): MasterKey {
  if (key.length !== KEY_BYTES) throw new Error(`a master key must be ${KEY_BYTES} bytes`);
  return { id: createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES).toString('hex'), key };
}

export interface MasterKeySources {
  readonly MAILKEEP_ENV: 'development' | 'production';
  readonly MAILKEEP_DATA_DIR: string;
  readonly MAILKEEP_MASTER_KEY?: string;
  readonly MAILKEEP_MASTER_KEY_FILE?: string;
  readonly MAILKEEP_MASTER_KEY_PREVIOUS?: string;
}

/** Thrown when no usable master key is configured; names the variable, never a value. */
export class MasterKeyConfigError extends Error {
  override readonly name = 'MasterKeyConfigError';
}

/**
 * Loads the ring: MAILKEEP_MASTER_KEY, else MAILKEEP_MASTER_KEY_FILE, else — in development only —
 * a key generated once into `<MAILKEEP_DATA_DIR>/secrets/master.key` (mode 0600). Production
 * without a key refuses to start: a generated key there would be lost with the container.
 */
export function loadMasterKeyRing(config: MasterKeySources, logger: Logger): MasterKeyRing {
  const previous = (config.MAILKEEP_MASTER_KEY_PREVIOUS ?? '')
    .split(',')
    .filter((text) => text.length > 0)
    .map((text) => Buffer.from(text, 'base64'));
  if (config.MAILKEEP_MASTER_KEY !== undefined) {
    return MasterKeyRing.fromKeys(Buffer.from(config.MAILKEEP_MASTER_KEY, 'base64'), previous);
  }
  if (config.MAILKEEP_MASTER_KEY_FILE !== undefined) {
    return MasterKeyRing.fromKeys(
      readKeyFile(config.MAILKEEP_MASTER_KEY_FILE, 'MAILKEEP_MASTER_KEY_FILE'),
      previous,
    );
  }
  if (config.MAILKEEP_ENV === 'production') {
    throw new MasterKeyConfigError(
      'MAILKEEP_MASTER_KEY (or MAILKEEP_MASTER_KEY_FILE) is required when MAILKEEP_ENV=production',
    );
  }
  const path = join(config.MAILKEEP_DATA_DIR, 'secrets', 'master.key');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // `wx`: two processes starting at once cannot both write a key; the loser reads the winner's.
    try {
      writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
      logger.warn(
        'no master key configured: generated a development master key; set MAILKEEP_MASTER_KEY in production',
        {
          path,
        },
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return MasterKeyRing.fromKeys(readKeyFile(path, 'the development master key file'), previous);
}

function readKeyFile(path: string, what: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    throw new MasterKeyConfigError(`${what}: cannot read ${path}`);
  }
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text) || key.length !== KEY_BYTES) {
    throw new MasterKeyConfigError(`${what}: ${path} must hold base64 of exactly ${KEY_BYTES} bytes`);
  }
  return key;
}
