import { Body, Controller, HttpCode, Module, Post, type DynamicModule } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { IsString, Length } from 'class-validator';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { buildEnvelope, defineEventType, EventTypeRegistry, type EventEnvelope } from '@keel/contracts';
import { InboxContext, OutboxPublisher } from '@keel/messaging';
import { KeelServiceModule } from '../src/keel-service.module';
import type { ServiceEnvironment } from '../src/service-environment';

/** A minimal service for the platform's integration test: HTTP in, event out, event handled. */
export class PingSent {
  @IsString()
  @Length(1, 64)
  pingId!: string;
}

export const PING_SENT = 'keel.test.ping_sent.v1';

export function pingRegistry(topic: string): EventTypeRegistry {
  return new EventTypeRegistry([
    defineEventType({
      type: PING_SENT,
      topic,
      payload: PingSent,
      subject: 'pingId',
      visibility: 'internal',
      description: 'Test ping.',
    }),
  ]);
}

class CreatePings1763900000100 implements MigrationInterface {
  name = 'CreatePings1763900000100';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE pings (ping_id text PRIMARY KEY)');
    await queryRunner.query('CREATE TABLE pongs (ping_id text NOT NULL, traceparent text)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE pongs');
    await queryRunner.query('DROP TABLE pings');
  }
}

export function pingModule(environment: ServiceEnvironment, registry: EventTypeRegistry): DynamicModule {
  @Controller('v1/pings')
  class PingController {
    constructor(
      private readonly dataSource: DataSource,
      private readonly outbox: OutboxPublisher,
    ) {}

    @Post()
    @HttpCode(201)
    async send(@Body() body: PingSent): Promise<PingSent> {
      await this.dataSource.transaction(async (manager) => {
        await manager.query('INSERT INTO pings (ping_id) VALUES ($1)', [body.pingId]);
        await this.outbox.publish(manager, [
          buildEnvelope({ type: PING_SENT, source: '/keel/test', data: { pingId: body.pingId } }, registry),
        ]);
      });
      return { pingId: body.pingId };
    }
  }

  @Controller()
  class PingConsumer {
    @EventPattern(PING_SENT)
    async onPings(
      @Payload() events: readonly EventEnvelope<PingSent>[],
      @Ctx() context: InboxContext,
    ): Promise<void> {
      await context
        .getManager()
        .query('INSERT INTO pongs (ping_id, traceparent) SELECT * FROM unnest($1::text[], $2::text[])', [
          events.map((event) => event.data.pingId),
          events.map((event) => event.traceparent ?? null),
        ]);
    }
  }

  const topic = registry.get(PING_SENT).topic;

  @Module({
    imports: [
      KeelServiceModule.forRoot({
        service: 'ping',
        environment,
        registry,
        migrations: [CreatePings1763900000100],
        consumes: [topic],
      }),
    ],
    controllers: [PingController, PingConsumer],
  })
  class PingModule {}

  return { module: PingModule };
}
