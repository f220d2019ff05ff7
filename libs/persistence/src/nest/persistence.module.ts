import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { createDataSource } from '../data-source.js';
import { ensureDatabase } from '../ensure-database.js';
import { runMigrations } from '../migrations.js';
import type { ServiceSchema } from '../service-schema.js';

export interface PersistenceModuleOptions {
  readonly url: string;
  readonly service: ServiceSchema;
  /** Shown in pg_stat_activity, e.g. `mailkeep-api`. */
  readonly applicationName?: string;
  /** Told which migrations start-up applied, for the service's log. */
  readonly onMigrated?: (applied: readonly string[]) => void;
}

/**
 * A service's connection to its own schema, as a NestJS module providing `DataSource`. Start-up
 * creates the database when missing and applies pending migrations under the advisory lock, so
 * replicas starting together migrate once; shutdown closes the pool.
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: DataSource,
          useFactory: async () => {
            await ensureDatabase(options.url);
            const dataSource = createDataSource({
              url: options.url,
              ...options.service,
              ...(options.applicationName && { applicationName: options.applicationName }),
            });
            await dataSource.initialize();
            try {
              options.onMigrated?.(await runMigrations(dataSource));
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        },
      ],
      exports: [DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
