/**
 * One measured figure of the throughput benches, the same shape for ceilings, the peer and
 * Mailkeep, so the report can put them side by side and divide.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RunningDovecot } from '@mailkeep/testing';

export type Group = 'ceiling' | 'peer' | 'mailkeep';

export interface Measurement {
  readonly group: Group;
  /** Which corpus (`size-mix`, `count-heavy`). */
  readonly corpus: string;
  /** What ran, e.g. `raw fetch, TLS, SHA-256, 1 connection`. */
  readonly label: string;
  readonly seconds: number;
  readonly messages: number;
  readonly bytes: number;
  /** CPU seconds (user + system) of the client side: the fetcher, writer or archiver processes. */
  readonly clientCpuSeconds?: number;
  /** CPU seconds of the IMAP server (Dovecot's whole process tree). */
  readonly serverCpuSeconds?: number;
  /** Highest peak RSS of a client process, MiB. */
  readonly peakRssMiB?: number;
  /** Anything the reader must know about this figure (what the end time is, what was verified). */
  readonly note?: string;
  /** Extra figures of this bench (per-process CPU, verification results). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export function messagesPerSecond(m: Measurement): number {
  return m.messages / m.seconds;
}

export function megabytesPerSecond(m: Measurement): number {
  return m.bytes / 1e6 / m.seconds;
}

/** The Dovecot master's pid (its run directory's master.pid), for the server's CPU seconds. */
export function dovecotMasterPid(dovecot: RunningDovecot): number {
  return Number(readFileSync(join(dovecot.runDir, 'run', 'master.pid'), 'utf8').trim());
}

/** Seconds since `started` (a performance.now() value). */
export function since(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Round for JSON output. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** This process's CPU seconds (user + system) so far. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
