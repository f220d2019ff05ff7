import { useEffect, useState } from 'react';

import { authHeaders, type Schemas } from '../../api/client';
import { ApiError, toProblem } from '../../api/problem';

type Run = Schemas['RunDto'];
type LogEntry = Schemas['RunLogEntryDto'];
type Counters = Schemas['RunCountersDto'];

/** A stream that ends without `finished` (a proxy, a restart of the api) is opened again after 2 s. */
const RECONNECT_DELAY_MS = 2_000;
/** The log shown live keeps the latest entries; the whole log is paged on request. */
const LIVE_LOG_LIMIT = 1_000;

export interface RunEventsState {
  readonly run?: Run;
  readonly status?: Run['status'];
  readonly counters?: Counters;
  readonly finishedAt?: string;
  readonly log: readonly LogEntry[];
  readonly finished: boolean;
  readonly error?: unknown;
}

interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/** Splits a text/event-stream into events (the WHATWG parsing rules that the api's stream uses). */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event: ServerSentEvent = { event: 'message', data: '' };
  let hasData = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (hasData) yield event;
        event = { event: 'message', data: '' };
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) continue; // heartbeat comment
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = text;
      else if (field === 'data') {
        event.data = hasData ? `${event.data}\n${text}` : text;
        hasData = true;
      } else if (field === 'id') event.id = text;
    }
  }
}

/** Resolves after `ms`, or at once when the signal aborts (the timer is cleared then). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * Live progress of a run over GET …/runs/{id}/events. EventSource cannot send the bearer key, so
 * the stream is read with fetch; it reconnects with Last-Event-ID until `finished` arrives.
 */
export function useRunEvents(tenantId: string, runId: string): RunEventsState {
  const [state, setState] = useState<RunEventsState>({ log: [], finished: false });

  useEffect(() => {
    const abort = new AbortController();
    let lastEventId: string | undefined;

    function apply(event: ServerSentEvent) {
      if (event.id) lastEventId = event.id;
      const data = JSON.parse(event.data) as unknown;
      switch (event.event) {
        case 'run': {
          const run = data as Run;
          setState((s) => ({
            ...s,
            run,
            status: run.status,
            counters: run.counters,
            ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
          }));
          break;
        }
        case 'log': {
          const entry = data as LogEntry;
          setState((s) =>
            s.log.some((e) => e.id === entry.id)
              ? s
              : { ...s, log: [...s.log, entry].slice(-LIVE_LOG_LIMIT) },
          );
          break;
        }
        case 'progress': {
          const progress = data as Schemas['RunProgressEventDto'];
          setState((s) => ({ ...s, status: progress.status, counters: progress.counters }));
          break;
        }
        case 'finished': {
          const finished = data as Schemas['RunFinishedEventDto'];
          setState((s) => ({
            ...s,
            status: finished.status,
            counters: finished.counters,
            finishedAt: finished.finishedAt,
            finished: true,
          }));
          abort.abort();
          break;
        }
        default:
          break;
      }
    }

    async function follow() {
      while (!abort.signal.aborted) {
        try {
          const response = await fetch(
            `/api/v1/tenants/${encodeURIComponent(tenantId)}/runs/${encodeURIComponent(runId)}/events`,
            {
              headers: {
                ...authHeaders(),
                Accept: 'text/event-stream',
                ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
              },
              signal: abort.signal,
            },
          );
          if (!response.ok || !response.body) {
            const body: unknown = await response.json().catch(() => undefined);
            setState((s) => ({
              ...s,
              error: new ApiError(response.status, toProblem(body, response.status)),
            }));
            return;
          }
          setState((s) => (s.error ? { ...s, error: undefined } : s));
          for await (const event of readEvents(response.body)) apply(event);
        } catch (error) {
          if (abort.signal.aborted) return;
          setState((s) => ({
            ...s,
            error: error instanceof ApiError ? error : new ApiError(0, { status: 0 }),
          }));
        }
        if (abort.signal.aborted) return;
        await pause(RECONNECT_DELAY_MS, abort.signal);
      }
    }
    void follow();
    return () => abort.abort();
  }, [tenantId, runId]);

  return state;
}

/** Share of the run's mailboxes that are done (succeeded or failed), 0–100; 100 once finished. */
export function progressOf(counters: Counters | undefined, finished: boolean): number {
  if (finished) return 100;
  if (!counters || counters.mailboxesTotal === 0) return 0;
  return Math.floor(
    ((counters.mailboxesSucceeded + counters.mailboxesFailed) / counters.mailboxesTotal) * 100,
  );
}

export const ACTIVE_STATUSES: readonly string[] = ['queued', 'running'];

export const STATUS_COLORS: Record<string, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'green',
  'completed-with-errors': 'orange',
  failed: 'red',
  cancelled: 'gray',
  skipped: 'gray',
  pending: 'gray',
};
