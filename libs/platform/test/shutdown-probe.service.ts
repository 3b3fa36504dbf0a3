import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  Controller,
  Get,
  Injectable,
  Module,
  ParseIntPipe,
  Query,
  type DynamicModule,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Min } from 'class-validator';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { buildEnvelope, defineEventType, EventTypeRegistry, type EventEnvelope } from '@keel/contracts';
import { InboxContext, OutboxPublisher } from '@keel/messaging';
import { KeelServiceModule } from '../src/keel-service.module';
import { ServiceEnvironment } from '../src/service-environment';

/**
 * A Keel service for the graceful shutdown test, run as a child process: a slow HTTP endpoint, a
 * slow consumer whose chunks publish an echo each, and optionally a worker that never stops.
 */
export class ShutdownProbeEnvironment extends ServiceEnvironment {
  /** The service name: its consumer group is `keel-<name>`. */
  @IsString()
  PROBE_SERVICE!: string;

  @IsString()
  PROBE_COMMAND_TOPIC!: string;

  @IsString()
  PROBE_ECHO_TOPIC!: string;

  /** How long each handler call takes after writing its effect. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PROBE_HANDLER_DELAY_MS = 0;

  /** `true`: a worker whose onModuleDestroy never settles, to run the shutdown into its timeout. */
  @IsIn(['true', 'false'])
  PROBE_HANG_AT_SHUTDOWN = 'false';
}

export class ProbeCommand {
  @IsString()
  @Length(1, 64)
  commandId!: string;
}

export const PROBE_COMMAND = 'keel.test.probe_command.v1';
export const PROBE_ECHO = 'keel.test.probe_echo.v1';

export function probeRegistry(commandTopic: string, echoTopic: string): EventTypeRegistry {
  return new EventTypeRegistry([
    defineEventType({
      type: PROBE_COMMAND,
      topic: commandTopic,
      payload: ProbeCommand,
      subject: 'commandId',
      visibility: 'internal',
      description: 'Test command of the graceful shutdown test.',
    }),
    defineEventType({
      type: PROBE_ECHO,
      topic: echoTopic,
      payload: ProbeCommand,
      subject: 'commandId',
      visibility: 'internal',
      description: 'Published by the probe for each command it applied.',
    }),
  ]);
}

class CreateProbeTables1763900000200 implements MigrationInterface {
  name = 'CreateProbeTables1763900000200';
  async up(queryRunner: QueryRunner): Promise<void> {
    // No unique key: an event applied twice shows as two rows.
    await queryRunner.query('CREATE TABLE probe_effects (command_id text NOT NULL, consumer text NOT NULL)');
    // Written outside the handler's transaction, so the test sees a chunk start before it commits.
    await queryRunner.query(
      'CREATE TABLE probe_chunks (call_id uuid PRIMARY KEY, consumer text NOT NULL, command_ids text[] NOT NULL)',
    );
    await queryRunner.query('CREATE TABLE probe_requests (request_id text PRIMARY KEY)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE probe_requests');
    await queryRunner.query('DROP TABLE probe_chunks');
    await queryRunner.query('DROP TABLE probe_effects');
  }
}

const SLOW_REQUEST_MS_MAX = 30_000;

export function shutdownProbeModule(environment: ShutdownProbeEnvironment): DynamicModule {
  const registry = probeRegistry(environment.PROBE_COMMAND_TOPIC, environment.PROBE_ECHO_TOPIC);
  const consumer = `keel-${environment.PROBE_SERVICE}`;

  @Controller('v1/slow')
  class SlowController {
    constructor(private readonly dataSource: DataSource) {}

    /** Records that the request arrived, then answers after `ms` milliseconds. */
    @Get()
    async slow(
      @Query('requestId') requestId: string,
      @Query('ms', ParseIntPipe) ms: number,
    ): Promise<{ requestId: string; sleptMs: number }> {
      const sleptMs = Math.min(Math.max(ms, 0), SLOW_REQUEST_MS_MAX);
      await this.dataSource.query('INSERT INTO probe_requests (request_id) VALUES ($1)', [requestId]);
      await delay(sleptMs);
      return { requestId, sleptMs };
    }
  }

  @Controller()
  class ProbeConsumer {
    constructor(
      private readonly dataSource: DataSource,
      private readonly outbox: OutboxPublisher,
    ) {}

    @EventPattern(PROBE_COMMAND)
    async onCommands(
      @Payload() events: readonly EventEnvelope<ProbeCommand>[],
      @Ctx() context: InboxContext,
    ): Promise<void> {
      const commandIds = events.map((event) => event.data.commandId);
      await this.dataSource.query(
        'INSERT INTO probe_chunks (call_id, consumer, command_ids) VALUES ($1, $2, $3)',
        [randomUUID(), consumer, commandIds],
      );
      const manager = context.getManager();
      await manager.query('INSERT INTO probe_effects (command_id, consumer) SELECT unnest($1::text[]), $2', [
        commandIds,
        consumer,
      ]);
      await this.outbox.publish(
        manager,
        commandIds.map((commandId) =>
          buildEnvelope({ type: PROBE_ECHO, source: '/keel/test', data: { commandId } }, registry),
        ),
      );
      await delay(environment.PROBE_HANDLER_DELAY_MS);
    }
  }

  @Injectable()
  class HangingWorker implements OnModuleDestroy {
    onModuleDestroy(): Promise<void> {
      return environment.PROBE_HANG_AT_SHUTDOWN === 'true' ? new Promise(() => undefined) : Promise.resolve();
    }
  }

  @Module({
    imports: [
      KeelServiceModule.forRoot({
        service: environment.PROBE_SERVICE,
        environment,
        registry,
        migrations: [CreateProbeTables1763900000200],
        consumes: [environment.PROBE_COMMAND_TOPIC],
      }),
    ],
    controllers: [SlowController, ProbeConsumer],
    providers: [HangingWorker],
  })
  class ShutdownProbeModule {}

  return { module: ShutdownProbeModule };
}
