/**
 * Clean-up on Ctrl-C / SIGTERM: a bench holds Dovecot, NATS, services, databases and temp dirs;
 * `finally` blocks do not run when a signal ends the process, so each resource also registers its
 * stop here, and a signal runs what is still registered (newest first), then exits.
 */
const registered = new Set<() => Promise<unknown>>();
let installed = false;

/** Registers `stop` until the returned function is called (after a normal stop). */
export function onSignalCleanup(stop: () => Promise<unknown>): () => void {
  registered.add(stop);
  if (!installed) {
    installed = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        process.stderr.write(`bench: ${signal}, cleaning up\n`);
        void (async () => {
          for (const fn of [...registered].reverse()) await fn().catch(() => undefined);
          process.exit(130);
        })();
      });
    }
  }
  return () => registered.delete(stop);
}
