import {
  RUN_FINISHED_V1,
  RUN_LOGGED_V1,
  RUN_PROGRESS_V1,
  type RunFinishedEvent,
  type RunLoggedEvent,
  type RunProgressEvent,
} from '@mailkeep/contracts';
import { type EventSubscription, MessageBus } from '@mailkeep/messaging';
import type { Metrics } from '@mailkeep/observability';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';

import { API_METRICS } from '../tokens.js';

type Gauge = ReturnType<Metrics['gauge']>;

/** A run event as a live view receives it. */
export type LiveRunEvent =
  | { readonly type: 'progress'; readonly data: RunProgressEvent }
  | { readonly type: 'log'; readonly data: RunLoggedEvent }
  | { readonly type: 'finished'; readonly data: RunFinishedEvent };

export interface RunEventListener {
  /** Called synchronously, in arrival order, for each event of the run it listens to. */
  onEvent(event: LiveRunEvent): void;
  /** The api is shutting down: end the view now (an open response would keep the server open). */
  onShutdown(): void;
}

/**
 * Fans the run events out to the live views (SSE streams) of this api instance. One plain
 * subscription per event subject, held while at least one view listens, whatever the number of
 * views: each event is decoded and validated once, then handed to the listeners of its tenant and
 * run only. Not durable: a view reads what happened before it from the scheduler (snapshot, log).
 */
@Injectable()
export class RunEventsHub implements BeforeApplicationShutdown {
  private readonly listeners = new Map<string, Set<RunEventListener>>();
  private subscriptions: EventSubscription[] = [];
  private readonly openViews: Gauge;
  private readonly heldSubscriptions: Gauge;

  constructor(
    private readonly bus: MessageBus,
    @Inject(API_METRICS) metrics: Metrics,
  ) {
    this.openViews = metrics.gauge({
      name: 'mailkeep_run_event_streams_open',
      help: 'Live run views (SSE streams) listening to run events',
    });
    this.heldSubscriptions = metrics.gauge({
      name: 'mailkeep_run_event_subscriptions',
      help: 'NATS subscriptions the api holds for live run views',
    });
  }

  /**
   * Starts handing the run's events to the listener and returns what stops it. The subscription
   * is placed on the bus connection before anything sent on it afterwards, so a request made
   * after this call sees a state no older than the first event the listener can miss.
   */
  listen(tenantId: string, runId: string, listener: RunEventListener): () => void {
    if (this.subscriptions.length === 0) this.subscribe();
    const key = keyOf(tenantId, runId);
    let forRun = this.listeners.get(key);
    if (!forRun) {
      forRun = new Set();
      this.listeners.set(key, forRun);
    }
    forRun.add(listener);
    this.openViews.inc();
    return () => {
      const current = this.listeners.get(key);
      if (!current?.delete(listener)) return;
      this.openViews.dec();
      if (current.size === 0) this.listeners.delete(key);
      if (this.listeners.size === 0) this.unsubscribe();
    };
  }

  beforeApplicationShutdown(): void {
    for (const forRun of [...this.listeners.values()]) {
      for (const listener of [...forRun]) listener.onShutdown();
    }
    this.unsubscribe();
  }

  private subscribe(): void {
    this.subscriptions = [
      this.bus.subscribe(RUN_PROGRESS_V1, (data) => this.dispatch(data, { type: 'progress', data })),
      this.bus.subscribe(RUN_LOGGED_V1, (data) => this.dispatch(data, { type: 'log', data })),
      this.bus.subscribe(RUN_FINISHED_V1, (data) => this.dispatch(data, { type: 'finished', data })),
    ];
    this.heldSubscriptions.set(this.subscriptions.length);
  }

  private unsubscribe(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    this.heldSubscriptions.set(0);
  }

  private dispatch(target: { tenantId: string; runId: string }, event: LiveRunEvent): void {
    const forRun = this.listeners.get(keyOf(target.tenantId, target.runId));
    // A copy: a listener that ends its view (on `finished`) leaves the set while it is walked.
    if (forRun) for (const listener of [...forRun]) listener.onEvent(event);
  }
}

/** Both ids, lower case: a run is only ever shown to its own tenant (SPEC T2). */
function keyOf(tenantId: string, runId: string): string {
  return `${tenantId.toLowerCase()}/${runId.toLowerCase()}`;
}
