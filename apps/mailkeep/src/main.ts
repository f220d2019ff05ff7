import {
  ConfigError,
  DatabaseEnv,
  LauncherEnv,
  loadConfig,
  NatsEnv,
  NatsUsersEnv,
  RuntimeEnv,
} from '@mailkeep/config';
import { createLogger } from '@mailkeep/observability';
import { ensureDatabase } from '@mailkeep/persistence';

import { natsUrlsAs } from './nats-users.js';
import { announceWhenReady } from './readiness.js';
import { selectServices } from './services.js';
import { Supervisor } from './supervisor.js';

const USAGE = `usage: mailkeep <command>

  start     start every service of the platform in one process tree (Ctrl-C stops it)
  migrate   apply every service's database migrations, then exit
`;

/**
 * The all-in-one launcher (SPEC O1): one command for a whole platform on one machine, with the
 * local defaults; each service still runs alone from its own entry point.
 */
async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  if (command !== 'start' && command !== 'migrate') {
    process.stderr.write(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 64;
  }
  const runtime = loadConfig(RuntimeEnv);
  const database = loadConfig(DatabaseEnv);
  const nats = loadConfig(NatsEnv);
  const natsPasswords = loadConfig(NatsUsersEnv);
  const services = selectServices(loadConfig(LauncherEnv).MAILKEEP_SERVICES);
  const logger = createLogger({ service: 'mailkeep', level: runtime.MAILKEEP_LOG_LEVEL });

  // Create the database once here, before several services race to do it.
  await ensureDatabase(database.MAILKEEP_DATABASE_URL);
  const supervisor = new Supervisor(logger, (service) => ({
    ...process.env,
    MAILKEEP_NATS_URL: natsUrlsAs(service.natsUser, nats.MAILKEEP_NATS_URL, natsPasswords).join(','),
  }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => supervisor.stop(signal));
  if (command === 'migrate') supervisor.start(services, ['migrate'], { oneShot: true });
  else {
    supervisor.start(services);
    const platformStopped = new AbortController();
    void supervisor.done.then(() => platformStopped.abort());
    // The launcher pings as the api user: it may publish to every service and has its own inbox.
    const launcherUrls = natsUrlsAs('api', nats.MAILKEEP_NATS_URL, natsPasswords);
    announceWhenReady(services, launcherUrls, logger, platformStopped.signal).catch((error: unknown) =>
      logger.error('readiness could not be checked', { error }),
    );
  }
  await supervisor.done;
  return supervisor.code;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`mailkeep: invalid configuration\n${error.message}\n`);
  process.exitCode = 78; // EX_CONFIG
}
