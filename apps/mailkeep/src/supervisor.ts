import { type ChildProcess, spawn } from 'node:child_process';

import type { Logger } from '@mailkeep/observability';

import type { ServiceEntry } from './services.js';

/** A service gets ten seconds to stop after SIGTERM (drain NATS, close the pool) before SIGKILL. */
const STOP_GRACE_MS = 10_000;

/**
 * Runs every service as a child process and keeps the tree together: a signal to the launcher
 * stops every child; a child that dies on its own stops the rest, so the platform never runs
 * half-started without anyone noticing.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  /** One-shot commands (migrate) end on their own; a long-running service must not. */
  private oneShot = false;
  private exitCode = 0;
  private resolveDone: () => void = () => undefined;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly logger: Logger,
    /** Each service's environment (its own NATS user, when configured). */
    private readonly envOf: (service: ServiceEntry) => NodeJS.ProcessEnv,
  ) {}

  start(
    services: readonly ServiceEntry[],
    args: readonly string[] = [],
    options: { oneShot?: boolean } = {},
  ): void {
    this.oneShot = options.oneShot ?? false;
    for (const service of services) {
      // Children share the terminal: their JSON log lines go straight to our stdout/stderr.
      const child = spawn(process.execPath, [...(service.nodeOptions ?? []), service.entry, ...args], {
        stdio: 'inherit',
        env: this.envOf(service),
      });
      this.children.set(service.name, child);
      child.once('exit', (code, signal) => this.onExit(service.name, code, signal));
      this.logger.info('service started', { child: service.name, pid: child.pid });
    }
  }

  get code(): number {
    return this.exitCode;
  }

  stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info('stopping the platform', { reason });
    for (const [name, child] of this.children) {
      child.kill('SIGTERM');
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) {
          this.logger.warn('service did not stop in time, killing it', { child: name });
          child.kill('SIGKILL');
        }
      }, STOP_GRACE_MS).unref();
    }
  }

  private onExit(name: string, code: number | null, signal: NodeJS.Signals | null): void {
    this.children.delete(name);
    if (this.oneShot) {
      if (code !== 0) this.exitCode = code ?? 1;
      if (code !== 0) this.logger.error('service command failed', { child: name, code, signal });
    } else if (!this.stopping) {
      this.logger.error('service stopped unexpectedly', { child: name, code, signal });
      this.exitCode = 1;
      this.stop(`${name} exited`);
    } else if (code !== 0 && code !== null) {
      this.exitCode = this.exitCode || code;
    }
    if (this.children.size === 0) this.resolveDone();
  }
}
