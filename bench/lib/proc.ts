/**
 * Process accounting from /proc, for the benchmarks: CPU seconds of a process tree (the process,
 * its live descendants and the children it has reaped) and peak RSS. Linux only, as the suite is.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface Stat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime + cutime + cstime, in ticks. */
  readonly ticks: number;
  /** stime + cstime (time in the kernel: syscalls such as fsync), in ticks. */
  readonly systemTicks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
    const num = (field: number) => Number(fields[field - 3]);
    return {
      pid,
      ppid: num(4),
      ticks: num(14) + num(15) + num(16) + num(17),
      systemTicks: num(15) + num(17),
    };
  } catch {
    return undefined; // gone in between
  }
}

function allStats(): Stat[] {
  const stats: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** The pids of these processes and all their live descendants. */
export function processTree(roots: readonly number[]): number[] {
  const stats = allStats();
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const seen = new Set<number>();
  const queue = roots.filter((pid) => stats.some((s) => s.pid === pid));
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...seen];
}

/**
 * CPU seconds (user + system) so far of these processes and their descendants, including children
 * they already reaped (cutime/cstime). Take it before and after and subtract: a process that exits
 * in between moves its time into its parent's cutime, so the sum stays consistent.
 */
export function treeCpuSeconds(roots: readonly number[]): number {
  let ticks = 0;
  for (const pid of processTree(roots)) ticks += readStat(pid)?.ticks ?? 0;
  return ticks / CLOCK_TICKS;
}

/** Of `treeCpuSeconds`, the part spent in the kernel (system time). */
export function treeSystemCpuSeconds(roots: readonly number[]): number {
  let ticks = 0;
  for (const pid of processTree(roots)) ticks += readStat(pid)?.systemTicks ?? 0;
  return ticks / CLOCK_TICKS;
}

/** CPU seconds of exactly these pids (e.g. PostgreSQL backends, which are not our children). */
export function pidsCpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += readStat(pid)?.ticks ?? 0;
  return ticks / CLOCK_TICKS;
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes; undefined when it is gone. */
export function memory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Resets a process's VmHWM to its current RSS (Linux 4.0+, `clear_refs` value 5). */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not ours to reset (another user's process): the peak then covers its whole life
  }
}
