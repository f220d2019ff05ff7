import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { Logger } from '@mailkeep/observability';

/** The key's file when MAILKEEP_AUDIT_KEY is unset: beside the blobs, never in PostgreSQL. */
export const AUDIT_KEY_FILE = 'audit.key';

/**
 * The audit key: MAILKEEP_AUDIT_KEY, else the key kept in the data directory (generated on the
 * first start, readable by this user only). Generated keys suit one machine; replicas must share
 * one through MAILKEEP_AUDIT_KEY.
 */
export function loadAuditKey(configured: string | undefined, dataDir: string, logger: Logger): Buffer {
  if (configured !== undefined) return Buffer.from(configured, 'base64');
  const path = join(dataDir, AUDIT_KEY_FILE);
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32);
  // `wx`: a second replica starting at the same moment fails here instead of overwriting.
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn('generated an audit key; set MAILKEEP_AUDIT_KEY to share one between api replicas', { path });
  return key;
}
