import { composeEnv, DatabaseEnv, NatsEnv, RuntimeEnv } from '@mailkeep/config';
import { ContractError, defineRequest, SERVICE_PING_V1 } from '@mailkeep/contracts';
import { HandleRequest, MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { createTestDatabase, TEST_NATS_URL, type TestDatabase, uniqueToken } from '@mailkeep/testing';
import { Controller, type DynamicModule, Module } from '@nestjs/common';
import { IsString } from 'class-validator';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type RunningService, runService } from './index.js';

class GreetRequest {
  @IsString()
  name!: string;
}
class GreetReply {
  @IsString()
  greeting!: string;
}

class CreateGreeting1764000000001 implements MigrationInterface {
  name = 'CreateGreeting1764000000001';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE "greeter"."salutation" ("word" varchar(20) NOT NULL)`);
    await db.query(`INSERT INTO "greeter"."salutation" VALUES ('Hello')`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "greeter"."salutation"`);
  }
}

const token = uniqueToken();
const GREET = defineRequest({
  subject: `${token}.req.greeting.say.v1`,
  request: GreetRequest,
  reply: GreetReply,
});
const serviceName = `greeter-${token}`;

@Controller()
class GreetingHandler {
  constructor(private readonly dataSource: DataSource) {}

  @HandleRequest(GREET)
  async greet({ name }: GreetRequest): Promise<GreetReply> {
    if (name === 'nobody') throw new ContractError('NOT_FOUND', 'No such person');
    const [row] = await this.dataSource.query<{ word: string }[]>(`SELECT word FROM greeter.salutation`);
    return { greeting: `${row?.word ?? '?'}, ${name}` };
  }
}

@Module({})
class GreeterModule {
  static forRoot(): DynamicModule {
    return { module: GreeterModule, controllers: [GreetingHandler] };
  }
}

describe('runService', () => {
  let database: TestDatabase;
  let service: RunningService | undefined;
  let bus: MessageBus;

  beforeAll(async () => {
    database = await createTestDatabase('runtime');
    process.env.MAILKEEP_DATABASE_URL = database.url;
    process.env.MAILKEEP_NATS_URL = TEST_NATS_URL;
    process.env.MAILKEEP_LOG_LEVEL = 'warn';
    service = await runService(
      {
        name: serviceName,
        env: composeEnv(NatsEnv, RuntimeEnv, DatabaseEnv),
        schema: { schema: 'greeter', entities: [], migrations: [CreateGreeting1764000000001] },
        module: () => GreeterModule.forRoot(),
      },
      [],
    );
    bus = await MessageBus.connect({
      servers: TEST_NATS_URL,
      name: 'runtime-test',
      logger: createLogger({ service: 't', level: 'fatal' }),
    });
  });

  afterAll(async () => {
    await bus?.close();
    await service?.close();
    await database?.drop();
  });

  it('runs a service: migrated schema, handlers wired from decorators, coded errors, ping', async () => {
    expect(await bus.request(GREET, { name: 'Ada' })).toEqual({ greeting: 'Hello, Ada' });
    await expect(bus.request(GREET, { name: 'nobody' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const pong = await bus.request(SERVICE_PING_V1, { service: serviceName });
    expect(pong.service).toBe(serviceName);
  });

  it('stops answering once closed', async () => {
    await service?.close();
    service = undefined;
    await expect(bus.request(GREET, { name: 'Ada' }, { timeoutMs: 500 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });
});
