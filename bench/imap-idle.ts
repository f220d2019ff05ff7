/**
 * The cost per mailbox of an incremental run (issue 24 item 7): 1,000 mailboxes × 5 small
 * messages (count-heavy sizes, spread over four folders) on Dovecot, archived through the REST API
 * over implicit TLS with the master user; a first run, then a run with nothing new, each timed
 * from the run-now request until the run finished (the first also until the last catalog row).
 * The peer is mbsync over TLS, one process per 50 channels, all at once, a first and an idle pass.
 * Figures are milliseconds per mailbox of wall time on this machine.
 *
 * Alone: `npx node bench/imap-idle.ts [--scale 0.1]` (scale 1 = 1,000 mailboxes; prints JSON).
 */
import { createCorpus, describeCorpus, FULL_SIZE } from '#corpus/corpus';
import { scaleFromArgs } from '#lib/args';
import { configureImapArchiving } from '#lib/imap-setup';
import { dovecotMasterPid, round } from '#lib/measure';
import { treeCpuSeconds } from '#lib/proc';
import { startBenchPlatform } from '#lib/services';
import { waitFor } from '@mailkeep/testing';

import { ensureMbsync, measureMbsyncPasses } from '#bench/mbsync';

export const IDLE_MAILBOXES = 1000;
export const MESSAGES_PER_MAILBOX = 5;
/** mbsync as an MSP would script it: one process per 50 channels (mailboxes), all at once. */
export const MBSYNC_CHANNELS_PER_PROCESS = 50;
/** Two workers for two cores, each taking this many mailboxes at once (the default is 4). */
const WORKERS = 2;
const CONCURRENCY_PER_WORKER = 16;
const POLL_MS = 100;
const RUN_TIMEOUT_MS = 30 * 60 * 1000;

interface RunBody {
  id: string;
  status: string;
  finishedAt: string | null;
  counters: Record<string, number>;
}

export interface IdlePassResult {
  readonly mailboxes: number;
  readonly messages: number;
  readonly corpus: string;
  readonly mailkeep: { readonly first: PassFigures; readonly idle: PassFigures };
  readonly mbsync:
    | { readonly processes: number; readonly first: PassFigures; readonly idle: PassFigures }
    | { readonly error: string };
}

export interface PassFigures {
  readonly seconds: number;
  readonly msPerMailbox: number;
  /** CPU milliseconds per mailbox, client and server side: steadier than wall time on a shared machine. */
  readonly clientCpuMsPerMailbox: number;
  readonly serverCpuMsPerMailbox: number;
  /** CPU seconds of the client side (Mailkeep: every service, worker and NATS; mbsync: its processes). */
  readonly clientCpuSeconds: number;
  readonly serverCpuSeconds: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

export async function measureIdlePasses(scale: number, log: (line: string) => void): Promise<IdlePassResult> {
  const mailboxes = Math.max(4, Math.round(IDLE_MAILBOXES * scale));
  const corpus = await createCorpus({
    kind: 'count-heavy',
    scale: (mailboxes * MESSAGES_PER_MAILBOX) / FULL_SIZE['count-heavy'],
    users: mailboxes,
  });
  try {
    const perMailbox = (seconds: number) => (seconds * 1000) / mailboxes;
    let mailkeep: IdlePassResult['mailkeep'];
    const platform = await startBenchPlatform({
      workers: WORKERS,
      env: {
        MAILKEEP_CONNECTOR_CONCURRENCY: String(CONCURRENCY_PER_WORKER),
        MAILKEEP_EGRESS_ALLOW: corpus.dovecot.egressAllowance,
      },
    });
    try {
      const { call, t, scheduleId } = await configureImapArchiving(
        platform,
        'Bench incremental',
        corpus.dovecot,
        corpus.users,
      );
      const dovecotPid = dovecotMasterPid(corpus.dovecot);
      const pass = async (expected: number): Promise<PassFigures> => {
        const cpuOf = () => ({
          services: new Map(platform.processes.map((p) => [p.name, treeCpuSeconds([p.child.pid as number])])),
          nats: treeCpuSeconds([platform.nats.pid]),
          server: treeCpuSeconds([dovecotPid]),
        });
        const before = cpuOf();
        const started = performance.now();
        const run = await call<RunBody>('POST', `${t}/schedules/${scheduleId}/run`);
        const finished = await waitFor(
          async () => {
            const now = await call<RunBody>('GET', `${t}/runs/${run.id}`);
            return now.finishedAt !== null ? now : undefined;
          },
          { timeoutMs: RUN_TIMEOUT_MS, intervalMs: POLL_MS, description: `run ${run.id} finished` },
        );
        const seconds = (performance.now() - started) / 1000;
        const after = cpuOf();
        if (finished.status !== 'succeeded' || finished.counters.messagesArchived !== expected) {
          throw new Error(`run ended ${finished.status} with counters ${JSON.stringify(finished.counters)}`);
        }
        const perService = Object.fromEntries(
          [...after.services].map(([name, cpu]) => [name, round(cpu - (before.services.get(name) ?? 0))]),
        );
        const services = Object.values(perService).reduce((a, b) => a + b, 0);
        const client = services + after.nats - before.nats;
        return {
          clientCpuMsPerMailbox: round(perMailbox(client), 1),
          serverCpuMsPerMailbox: round(perMailbox(after.server - before.server), 1),
          seconds: round(seconds),
          msPerMailbox: round(perMailbox(seconds), 1),
          clientCpuSeconds: round(client),
          serverCpuSeconds: round(after.server - before.server),
          details: {
            counters: finished.counters,
            cpuSecondsPerService: perService,
            natsCpuSeconds: round(after.nats - before.nats),
          },
        };
      };
      const first = await pass(corpus.messages.length);
      log(`  Mailkeep first run: ${first.msPerMailbox} ms/mailbox`);
      const idle = await pass(0);
      log(`  Mailkeep run with nothing new: ${idle.msPerMailbox} ms/mailbox`);
      mailkeep = { first, idle };
    } finally {
      await platform.stop();
    }
    // The peer after Mailkeep, on the same corpus; its failure does not cost Mailkeep's figures.
    let mbsync: IdlePassResult['mbsync'];
    try {
      const peer = await measureMbsyncPasses(corpus, MBSYNC_CHANNELS_PER_PROCESS);
      const peerFigures = (p: typeof peer.first): PassFigures => ({
        seconds: round(p.seconds),
        msPerMailbox: round(perMailbox(p.seconds), 1),
        clientCpuSeconds: round(p.clientCpuSeconds),
        serverCpuSeconds: round(p.serverCpuSeconds),
        clientCpuMsPerMailbox: round(perMailbox(p.clientCpuSeconds), 1),
        serverCpuMsPerMailbox: round(perMailbox(p.serverCpuSeconds), 1),
      });
      log(
        `  mbsync (${peer.processes} processes): first ${perMailbox(peer.first.seconds).toFixed(1)} ms/mailbox, idle ${perMailbox(peer.idle.seconds).toFixed(1)} ms/mailbox`,
      );

      mbsync = { processes: peer.processes, first: peerFigures(peer.first), idle: peerFigures(peer.idle) };
    } catch (error) {
      log(`  mbsync failed: ${String(error).slice(0, 500)}`);
      mbsync = { error: String(error).slice(0, 500) };
    }
    return { mailboxes, messages: corpus.messages.length, corpus: describeCorpus(corpus), mailkeep, mbsync };
  } finally {
    await corpus.stop();
  }
}

if (import.meta.main) {
  await ensureMbsync((line) => console.error(line));
  console.log(
    JSON.stringify(await measureIdlePasses(scaleFromArgs(), (line) => console.error(line)), null, 2),
  );
}

/** The issue's target for a run with nothing new (1,000 mailboxes, TLS, master user). */
export const IDLE_TARGET_MS_PER_MAILBOX = 15;

/** The report's section (docs/benchmarks.md). */
export function idlePassReport(result: IdlePassResult): string[] {
  const row = (what: string, p: PassFigures) =>
    `| ${what} | ${p.seconds} | **${p.msPerMailbox}** | ${p.clientCpuMsPerMailbox} | ${p.serverCpuMsPerMailbox} |`;
  const idle = result.mailkeep.idle;
  const services = (idle.details?.cpuSecondsPerService ?? {}) as Record<string, number>;
  return [
    '## Incremental run (issue 24 item 7)',
    '',
    `${result.corpus}. Over implicit TLS with Dovecot's master user. Mailkeep: the built services through the REST API, ${WORKERS} connector workers × ${CONCURRENCY_PER_WORKER} mailboxes at once, a first run and then a run with nothing new, each timed from run-now until the run finished. mbsync: processes of ${MBSYNC_CHANNELS_PER_PROCESS} channels, all at once, a first and an idle pass on the same Maildirs and state. Client CPU is every Mailkeep service, worker and NATS (mbsync: its processes); server CPU is Dovecot's.`,
    '',
    '| what | seconds | ms per mailbox | client CPU ms per mailbox | Dovecot CPU ms per mailbox |',
    '|---|---:|---:|---:|---:|',
    row('Mailkeep, first run', result.mailkeep.first),
    row('Mailkeep, run with nothing new', idle),
    ...('error' in result.mbsync
      ? []
      : [
          row(`mbsync, ${result.mbsync.processes} processes, first pass`, result.mbsync.first),
          row(`mbsync, ${result.mbsync.processes} processes, pass with nothing new`, result.mbsync.idle),
        ]),
    '',
    ...('error' in result.mbsync ? [`mbsync failed: ${result.mbsync.error}`, ''] : []),
    `Target: a run with nothing new ≤ ${IDLE_TARGET_MS_PER_MAILBOX} ms per mailbox: **${idle.msPerMailbox <= IDLE_TARGET_MS_PER_MAILBOX ? 'met' : 'not met'}** (${idle.msPerMailbox} ms). CPU seconds of the run with nothing new per service: ${Object.entries(
      services,
    )
      .map(([name, seconds]) => `${name} ${seconds}`)
      .join(', ')}; NATS ${String(idle.details?.natsCpuSeconds)}.`,
    '',
  ];
}
