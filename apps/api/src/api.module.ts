import { DOMAIN_EVENTS_STREAM } from '@mailkeep/contracts';
import { MessageBus, MessagingModule } from '@mailkeep/messaging';
import { PersistenceModule } from '@mailkeep/persistence';
import type { Logger, Metrics } from '@mailkeep/observability';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';

import type { ApiEnv } from './api.env.js';
import {
  ArchivingProfileSchedulesController,
  ArchivingProfilesController,
} from './archiving-profiles/archiving-profiles.controller.js';
import { OperatorApiKeysController, TenantApiKeysController } from './api-keys/api-keys.controller.js';
import { ApiKeysRepository } from './api-keys/api-keys.repository.js';
import { ApiKeysService } from './api-keys/api-keys.service.js';
import {
  BOOTSTRAP_OPTIONS,
  type BootstrapKeyOptions,
  BootstrapKeyService,
} from './api-keys/bootstrap-key.service.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { AUDIT_KEY, AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { AUDIT_ANCHORS, natsAuditAnchors } from './audit/audit-anchors.js';
import { loadAuditKey } from './audit/audit-key.js';
import { AuthFailureLimiter } from './auth/auth-failure-limiter.js';
import { AuthGuard } from './auth/auth.guard.js';
import { ConsoleModule } from './console/console.module.js';
import { DirectoryServicesController } from './directory-services/directory-services.controller.js';
import { API_SCHEMA } from './database/api-schema.js';
import { HealthController } from './health/health.controller.js';
import { IntegrityChecksController } from './integrity-checks/integrity-checks.controller.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { MailboxImportService } from './mailboxes/mailbox-import.service.js';
import { MailboxesController } from './mailboxes/mailboxes.controller.js';
import { apiBlobStoreProvider } from './messages/api-blob-store.js';
import { MessagesController } from './messages/messages.controller.js';
import { TextIndexController } from './messages/text-index.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { RunEventsHub } from './runs/run-events.hub.js';
import { RunsController } from './runs/runs.controller.js';
import { SessionController } from './session/session.controller.js';
import { SchedulesController } from './schedules/schedules.controller.js';
import { SecretsController } from './secrets/secrets.controller.js';
import { TenantEventsPublisher } from './tenants/tenant-events.publisher.js';
import { TenantsController } from './tenants/tenants.controller.js';
import { TenantsRepository } from './tenants/tenants.repository.js';
import { TenantsService } from './tenants/tenants.service.js';
import { API_CONFIG, API_LOGGER, API_METRICS } from './tokens.js';

export interface ApiModuleOptions {
  readonly config: ApiEnv;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly announce: BootstrapKeyOptions['announce'];
}

@Global()
@Module({})
class ApiRuntimeModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiRuntimeModule,
      providers: [
        { provide: API_CONFIG, useValue: options.config },
        { provide: API_LOGGER, useValue: options.logger },
        { provide: API_METRICS, useValue: options.metrics },
      ],
      exports: [API_CONFIG, API_LOGGER, API_METRICS],
    };
  }
}

/** The HTTP edge: authentication, tenancy, audit, and the routes of SPEC §5 it owns itself. */
@Module({})
export class ApiModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ApiRuntimeModule.forRoot(options),
        PersistenceModule.forRoot({
          url: options.config.MAILKEEP_DATABASE_URL,
          service: API_SCHEMA,
          applicationName: 'mailkeep-api',
          onMigrated: (applied) => {
            if (applied.length > 0)
              options.logger.info('migrations applied', { schema: API_SCHEMA.schema, applied });
          },
        }),
        MessagingModule.forRoot({
          serviceName: 'api',
          natsUrl: options.config.MAILKEEP_NATS_URL,
          replicas: options.config.MAILKEEP_NATS_REPLICAS,
          logger: options.logger,
          streams: [DOMAIN_EVENTS_STREAM],
        }),
        ConsoleModule,
      ],
      controllers: [
        HealthController,
        SessionController,
        MetricsController,
        TenantsController,
        TenantApiKeysController,
        OperatorApiKeysController,
        AuditController,
        MailboxesController,
        DirectoryServicesController,
        SecretsController,
        ArchivingProfilesController,
        ArchivingProfileSchedulesController,
        SchedulesController,
        RunsController,
        MessagesController,
        TextIndexController,
        IntegrityChecksController,
      ],
      providers: [
        {
          provide: BOOTSTRAP_OPTIONS,
          useValue: {
            configuredKey: options.config.MAILKEEP_BOOTSTRAP_API_KEY,
            announce: options.announce,
          } satisfies BootstrapKeyOptions,
        },
        TenantsRepository,
        TenantsService,
        TenantEventsPublisher,
        ApiKeysRepository,
        ApiKeysService,
        BootstrapKeyService,
        {
          provide: AUDIT_KEY,
          useFactory: () =>
            loadAuditKey(options.config.MAILKEEP_AUDIT_KEY, options.config.MAILKEEP_DATA_DIR, options.logger),
        },
        { provide: AUDIT_ANCHORS, useFactory: natsAuditAnchors, inject: [MessageBus] },
        AuditRepository,
        AuditService,
        MailboxImportService,
        RunEventsHub,
        apiBlobStoreProvider,
        // One limiter for the process: every request's failures count against the same buckets.
        { provide: AuthFailureLimiter, useFactory: () => new AuthFailureLimiter() },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
