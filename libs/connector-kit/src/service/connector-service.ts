import {
  ARCHIVE_EVENTS_STREAM,
  CONNECTOR_COMMANDS_STREAM,
  CONNECTOR_TEST_CONNECTION_V1,
  type ArchivingProfile,
  type ConnectorTestConnectionRequest,
  type ProfileBase,
  type ProfileType,
  type ResolvedSecret,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import {
  ConnectorWorkerEnv,
  composeEnv,
  DataDirEnv,
  EgressEnv,
  NatsEnv,
  RuntimeEnv,
  S3Env,
  SegmentEnv,
} from '@mailkeep/config';
import { Egress, EgressPolicy } from '@mailkeep/egress';
import { MessageBus } from '@mailkeep/messaging';
import { resolveSecret } from '@mailkeep/secrets-crypto';
import type { Logger } from '@mailkeep/observability';
import { type RunningService, runService, SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { createBlobStore } from '@mailkeep/storage';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { createConnectorMetrics } from '../metrics.js';
import {
  type ConnectorWorker,
  runConnectorWorker,
  type TaskContext,
  type TaskHandler,
} from '../worker/connector-worker.js';
import { type ArchiveTarget, type ArchiveTargetLoader, busTargetLoader } from './archive-target.js';
import { checkProfileFor, type ProfileDraftOf } from './typed-profile.js';

/**
 * What a connector app implements; everything else (queue, pipeline, bus, storage) is shared.
 * `P` is the profile the connector works with: `ProfileOfType<'imap'>` gives an imap connector
 * its own settings, typed and already checked against `ImapSettings` (the default, the flat
 * `ArchivingProfile`, is checked the same way).
 */
export interface ConnectorDefinition<P extends Pick<ProfileBase, 'type'> = ArchivingProfile> {
  readonly type: P['type'] & ProfileType;
  /**
   * Archives one mailbox: lists the source, hands each message to `context.archive` in source
   * order and keeps its cursors. Throw to fail the task (a retryable error is retried).
   */
  archiveMailbox(context: TaskContext, target: ArchiveTarget<P>, tools: ConnectorTools): Promise<void>;
  /**
   * Tries the profile against the server, step by step (P11); never throws for a failed test.
   * `profile` is `request.profile` (a saved profile or a draft), checked and typed.
   */
  testConnection(
    request: ConnectorTestConnectionRequest,
    credentials: ResolvedSecret,
    tools: ConnectorTools,
    profile: ProfileDraftOf<P>,
  ): Promise<TestConnectionResult>;
}

/** Shared services a connector's code may use. */
export interface ConnectorTools {
  readonly bus: MessageBus;
  readonly logger: Logger;
  /**
   * The only way to reach the profile's server: resolves, applies the deployment's egress policy
   * and connects to a checked address (see @mailkeep/egress).
   */
  readonly egress: Egress;
}

/** What every connector process reads from the environment. */
export const ConnectorEnv = composeEnv(
  NatsEnv,
  RuntimeEnv,
  S3Env,
  DataDirEnv,
  ConnectorWorkerEnv,
  SegmentEnv,
  EgressEnv,
);
type ConnectorConfig = InstanceType<typeof ConnectorEnv>;

/**
 * The task handler of a connector: loads the task's target, then runs the connector on it.
 * Integration tests build workers with it and their own `loadTarget`.
 */
export function connectorTaskHandler<P extends Pick<ProfileBase, 'type'>>(
  definition: ConnectorDefinition<P>,
  tools: ConnectorTools & { loadTarget?: ArchiveTargetLoader },
): TaskHandler {
  const loadTarget = tools.loadTarget ?? busTargetLoader(tools.bus);
  return async (context) => {
    const target = await loadTarget(context.task);
    const profile = await checkProfileFor<P>(definition.type, target.profile);
    await definition.archiveMailbox(
      context,
      { ...target, profile },
      { bus: tools.bus, logger: context.logger, egress: tools.egress },
    );
  };
}

/**
 * Answers `connector.req.<type>.test-connection.v1`: resolves the profile's secret in the tenant,
 * then lets the connector test. The subscription closes with the bus.
 */
export function serveTestConnection<P extends Pick<ProfileBase, 'type'>>(
  definition: ConnectorDefinition<P>,
  tools: ConnectorTools,
  queue: string,
): void {
  tools.bus.serve(
    CONNECTOR_TEST_CONNECTION_V1[definition.type],
    async (request) => {
      const secretId = request.profile['credentialsSecretId'];
      const credentials = await resolveSecret(tools.bus, {
        tenantId: request.tenantId,
        id: typeof secretId === 'string' ? secretId : '',
      });
      const profile = await checkProfileFor<ProfileDraftOf<P> & Pick<P, 'type'>>(
        definition.type,
        request.profile,
      );
      return definition.testConnection(request, credentials, tools, profile);
    },
    { queue },
  );
}

const CONNECTOR_DEFINITION = Symbol('mailkeep:connector-definition');

/** Starts the worker once NATS is wired and stops it (handing running tasks back) before NATS closes. */
@Injectable()
class ConnectorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker: ConnectorWorker | undefined;

  constructor(
    @Inject(CONNECTOR_DEFINITION) private readonly definition: ConnectorDefinition<Pick<ProfileBase, 'type'>>,
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<ConnectorConfig>,
    private readonly bus: MessageBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config, logger, metrics } = this.context;
    const egress = new Egress(
      EgressPolicy.fromEntries(config.MAILKEEP_EGRESS_ALLOW, config.MAILKEEP_EGRESS_DENY),
    );
    const tools = { bus: this.bus, logger, egress };
    serveTestConnection(this.definition, tools, this.context.name);
    this.worker = await runConnectorWorker({
      type: this.definition.type,
      bus: this.bus,
      blobs: createBlobStore(config, { logger }),
      logger,
      metrics: createConnectorMetrics(metrics, this.definition.type),
      concurrency: config.MAILKEEP_CONNECTOR_CONCURRENCY,
      messagesInFlight: config.MAILKEEP_CONNECTOR_MESSAGES_IN_FLIGHT,
      handleTask: connectorTaskHandler(this.definition, tools),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
  }
}

@Module({})
class ConnectorModule {
  static forRoot<P extends Pick<ProfileBase, 'type'>>(definition: ConnectorDefinition<P>): DynamicModule {
    return {
      module: ConnectorModule,
      providers: [{ provide: CONNECTOR_DEFINITION, useValue: definition }, ConnectorLifecycle],
    };
  }
}

/** A connector app's main.ts: `await runConnectorService(definition)`. Service name `connector-<type>`. */
export function runConnectorService<P extends Pick<ProfileBase, 'type'>>(
  definition: ConnectorDefinition<P>,
): Promise<RunningService | undefined> {
  return runService({
    name: `connector-${definition.type}`,
    env: ConnectorEnv,
    streams: [CONNECTOR_COMMANDS_STREAM, ARCHIVE_EVENTS_STREAM],
    module: () => ConnectorModule.forRoot(definition),
  });
}
