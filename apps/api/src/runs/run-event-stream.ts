import {
  ACTIVE_RUN_STATUSES,
  ContractError,
  MAX_LIST_PAGE_SIZE,
  type Run,
  RUN_GET_V1,
  RUN_LOG_V1,
  type RunFinishedEvent,
  type RunLogEntry,
  type RunProgressEvent,
  type RunStatus,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import type { Response } from 'express';

import type { LiveRunEvent, RunEventListener, RunEventsHub } from './run-events.hub.js';
import { logSequence, RecentIds, SSE_HEARTBEAT, sseEvent } from './sse.js';

/**
 * A comment line every 15 s keeps an idle stream open: proxies and load balancers drop
 * connections silent for 60 s (nginx `proxy_read_timeout`, AWS ALB idle timeout), and a client
 * notices a dead server within one interval. Cheap: a dozen bytes per open stream.
 */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/** Log lines read per RUN_LOG_V1 request: the largest page the scheduler serves, fewest round trips. */
const LOG_PAGE_SIZE = MAX_LIST_PAGE_SIZE;

/**
 * Live log lines held while the backlog is being sent. A run writes a few lines per mailbox, so
 * this covers the lines of thousands of mailboxes written during the backlog (at most ~4 KB
 * each, usually ~200 bytes). Beyond it the held lines are dropped and the stream ends after the
 * backlog: the client resumes with Last-Event-ID and reads the dropped lines from the log.
 */
const MAX_HELD_EVENTS = 10_000;

/**
 * Ids of the log lines sent most recently, kept to drop a live line the backlog already sent.
 * Such a duplicate was written while the backlog was read, so it is among the newest lines sent;
 * more than the held events, so every held line can be checked.
 */
const RECENT_IDS_KEPT = 2 * MAX_HELD_EVENTS;

/**
 * Bytes a client may leave unread before its stream is ended. A reader that slow would only make
 * the api buffer without bound; its EventSource reconnects and resumes with Last-Event-ID.
 */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

const ACTIVE: readonly RunStatus[] = ACTIVE_RUN_STATUSES;

/**
 * One client's view of one run as server-sent events (SPEC SC4): the run's snapshot (`run`), its
 * log so far (`log`, after the client's Last-Event-ID), then live `progress` and `log`, and
 * `finished`, after which the stream ends. Listening starts before the snapshot is read, so
 * nothing written after the snapshot is missed; log lines that arrive both ways are sent once.
 */
export class RunEventStream implements RunEventListener {
  private phase: 'starting' | 'backlog' | 'live' | 'closed' = 'starting';
  /** Live log events received during the backlog, in arrival order. */
  private readonly heldLogs: LiveRunEvent[] = [];
  /** The newest progress received during the backlog: only the current figures matter. */
  private heldProgress: RunProgressEvent | undefined;
  private heldFinished: RunFinishedEvent | undefined;
  /** More lines arrived during the backlog than are held: end after it, the client resumes. */
  private overflowed = false;
  private readonly sent = new RecentIds(RECENT_IDS_KEPT);
  private heartbeat: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly deps: { bus: MessageBus; hub: RunEventsHub; logger: Logger },
    private readonly run: { tenantId: string; id: string },
    /** Log lines up to this id were sent on an earlier connection (Last-Event-ID). */
    private readonly after: bigint | undefined,
    private readonly response: Response,
  ) {}

  /**
   * Reads the snapshot and opens the stream. Throws (before anything is written, so the caller
   * answers problem+json) when the run is unknown to this tenant or the scheduler is down.
   */
  async start(): Promise<void> {
    // A client that leaves, at any point, releases everything at once.
    this.response.on('close', () => this.close());
    // First listen, then read: an event written after the read is then certainly received.
    this.stopListening = this.deps.hub.listen(this.run.tenantId, this.run.id, this);
    let snapshot: Run;
    try {
      snapshot = await this.deps.bus.request(RUN_GET_V1, this.run);
    } catch (error) {
      this.close();
      throw error;
    }
    if (this.response.destroyed) return;
    if (this.phase === 'closed') {
      // Shutdown began while the snapshot was read: answer now, nothing is open yet.
      throw new ContractError('UNAVAILABLE', 'The api is stopping', { reason: 'shutting_down' });
    }
    this.open();
    this.write(sseEvent('run', snapshot));
    this.phase = 'backlog';
    try {
      await this.sendBacklog(snapshot.id);
    } catch (error) {
      // Headers are sent: the client sees the stream end and resumes from its Last-Event-ID.
      this.deps.logger.warn('run event stream: log backlog failed', { runId: snapshot.id, error });
      this.end();
      return;
    }
    if (this.closed) return;
    if (this.overflowed) {
      this.end();
      return;
    }
    if (!ACTIVE.includes(snapshot.status)) {
      // Finished before the client came: what the snapshot says is the end.
      this.write(sseEvent('finished', finishedFrom(this.run.tenantId, snapshot)));
      this.end();
      return;
    }
    this.phase = 'live';
    for (const held of this.heldLogs.splice(0)) this.deliver(held);
    if (this.heldProgress) this.deliver({ type: 'progress', data: this.heldProgress });
    if (this.heldFinished) this.deliver({ type: 'finished', data: this.heldFinished });
  }

  onEvent(event: LiveRunEvent): void {
    switch (this.phase) {
      case 'closed':
        return;
      case 'live':
        this.deliver(event);
        return;
      case 'starting':
      case 'backlog':
        this.hold(event);
        return;
    }
  }

  onShutdown(): void {
    this.end();
  }

  private hold(event: LiveRunEvent): void {
    switch (event.type) {
      case 'progress':
        this.heldProgress = event.data;
        return;
      case 'finished':
        this.heldFinished = event.data;
        return;
      case 'log':
        if (this.overflowed) return;
        if (this.heldLogs.length >= MAX_HELD_EVENTS) {
          this.deps.logger.warn('run event stream: too many lines during the backlog, ending it after', {
            runId: this.run.id,
          });
          this.overflowed = true;
          this.heldLogs.length = 0;
          return;
        }
        this.heldLogs.push(event);
        return;
    }
  }

  private deliver(event: LiveRunEvent): void {
    if (this.closed) return;
    switch (event.type) {
      case 'progress':
        this.write(sseEvent('progress', event.data));
        return;
      case 'log':
        this.writeLog(event.data.entry);
        return;
      case 'finished':
        this.write(sseEvent('finished', event.data));
        this.end();
        return;
    }
  }

  private async sendBacklog(runId: string): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.deps.bus.request(RUN_LOG_V1, {
        tenantId: this.run.tenantId,
        id: runId,
        limit: LOG_PAGE_SIZE,
        ...(cursor !== undefined && { cursor }),
      });
      if (this.closed) return;
      for (const entry of page.items) this.writeLog(entry);
      // Wait for a slow client here rather than buffer a long log in memory.
      await this.drained();
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && !this.closed);
  }

  /** Sends a log line unless the client has it: at or before its Last-Event-ID, or sent already. */
  private writeLog(entry: RunLogEntry): void {
    if (this.sent.has(entry.id)) return;
    const sequence = logSequence(entry.id);
    if (this.after !== undefined && sequence !== undefined && sequence <= this.after) return;
    this.sent.add(entry.id);
    this.write(sseEvent('log', entry, entry.id));
  }

  private open(): void {
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // Every byte is news: no cache may keep or replay it.
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      // nginx would otherwise buffer the stream and deliver events in bursts.
      'X-Accel-Buffering': 'no',
    });
    this.response.flushHeaders();
    this.heartbeat = setInterval(() => this.write(SSE_HEARTBEAT), HEARTBEAT_INTERVAL_MS);
    // The timer never keeps the process alive on its own.
    this.heartbeat.unref();
  }

  /** Closed by the client, by the end of the run, or by a failure; never opens again. */
  private get closed(): boolean {
    return this.phase === 'closed' || this.response.destroyed;
  }

  private write(chunk: string): void {
    if (this.closed) return;
    this.response.write(chunk);
    if (this.response.writableLength > MAX_UNSENT_BYTES) {
      this.deps.logger.warn('run event stream: client reads too slowly, ending it', { runId: this.run.id });
      this.end();
    }
  }

  /** Resolves once the response has room again, or is gone. */
  private drained(): Promise<void> {
    if (!this.response.writableNeedDrain || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  /** Ends the stream (the client sees it end) and lets go of everything. */
  private end(): void {
    if (this.phase === 'closed') return;
    const opened = this.response.headersSent;
    this.close();
    if (opened && !this.response.writableEnded) this.response.end();
  }

  /** Stops listening and the heartbeat; idempotent (also the response's `close` handler). */
  private close(): void {
    this.phase = 'closed';
    this.heldLogs.length = 0;
    clearInterval(this.heartbeat);
    this.stopListening?.();
    this.stopListening = undefined;
  }
}

/** The `finished` event of a run that had already finished when the stream opened. */
function finishedFrom(tenantId: string, run: Run): RunFinishedEvent {
  return {
    tenantId,
    runId: run.id,
    scheduleId: run.scheduleId,
    profileId: run.profileId,
    status: run.status,
    counters: run.counters,
    ...(run.startedAt !== null && { startedAt: run.startedAt }),
    // A finished run has its finishedAt; "now" only stands in should one ever lack it.
    finishedAt: run.finishedAt ?? new Date().toISOString(),
  };
}
