import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Logger } from '@mailkeep/observability';
import { describe, expect, it, vi } from 'vitest';

import { loadMasterKeyRing, masterKey, MasterKeyConfigError } from './master-key-ring.js';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (msg: string, fields?: Record<string, unknown>) =>
    lines.push(JSON.stringify({ msg, ...fields }));
  return {
    lines,
    fatal: log,
    error: log,
    warn: log,
    info: log,
    debug: log,
    trace: log,
    child: vi.fn(),
  } as never;
}

describe('master key loading', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'mk-master-key-'));

  it('refuses to start in production without a key, naming the variable', () => {
    expect(() =>
      loadMasterKeyRing({ MAILKEEP_ENV: 'production', MAILKEEP_DATA_DIR: dataDir() }, recordingLogger()),
    ).toThrow(
      new MasterKeyConfigError(
        'MAILKEEP_MASTER_KEY (or MAILKEEP_MASTER_KEY_FILE) is required when MAILKEEP_ENV=production',
      ),
    );
  });

  it('generates a development key once, mode 0600, with a warning that never shows it', () => {
    const dir = dataDir();
    const logger = recordingLogger();
    const ring = loadMasterKeyRing({ MAILKEEP_ENV: 'development', MAILKEEP_DATA_DIR: dir }, logger);
    const path = join(dir, 'secrets', 'master.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const stored = readFileSync(path, 'utf8').trim();
    expect(Buffer.from(stored, 'base64').equals(ring.current.key)).toBe(true);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('generated a development master key');
    expect(logger.lines.join()).not.toContain(stored);
    // The next start reads the same key and warns no more.
    expect(
      loadMasterKeyRing({ MAILKEEP_ENV: 'development', MAILKEEP_DATA_DIR: dir }, logger).current.id,
    ).toBe(ring.current.id);
    expect(logger.lines).toHaveLength(1);
  });

  it('reads the key from the variable or a file, with earlier keys for rotation', () => {
    const current = randomBytes(32);
    const previous = [randomBytes(32), randomBytes(32)];
    const file = join(dataDir(), 'key');
    writeFileSync(file, `${current.toString('base64')}\n`);
    const fromEnv = loadMasterKeyRing(
      {
        MAILKEEP_ENV: 'production',
        MAILKEEP_DATA_DIR: dataDir(),
        MAILKEEP_MASTER_KEY: current.toString('base64'),
        MAILKEEP_MASTER_KEY_PREVIOUS: previous.map((k) => k.toString('base64')).join(','),
      },
      recordingLogger(),
    );
    const fromFile = loadMasterKeyRing(
      { MAILKEEP_ENV: 'production', MAILKEEP_DATA_DIR: dataDir(), MAILKEEP_MASTER_KEY_FILE: file },
      recordingLogger(),
    );
    expect(fromEnv.current.id).toBe(masterKey(current).id);
    expect(fromFile.current.id).toBe(masterKey(current).id);
    expect(fromEnv.find(masterKey(previous[1] ?? Buffer.alloc(32)).id)).toBeDefined();
    expect(fromFile.find(masterKey(previous[0] ?? Buffer.alloc(32)).id)).toBeUndefined();
    expect(fromEnv.current.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rejects a key file that does not hold 32 bytes, without echoing it', () => {
    const file = join(dataDir(), 'key');
    writeFileSync(file, 'c2hvcnQ=\n');
    expect(() =>
      loadMasterKeyRing(
        { MAILKEEP_ENV: 'production', MAILKEEP_DATA_DIR: dataDir(), MAILKEEP_MASTER_KEY_FILE: file },
        recordingLogger(),
      ),
    ).toThrow(/MAILKEEP_MASTER_KEY_FILE: .* must hold base64 of exactly 32 bytes/);
  });
});
