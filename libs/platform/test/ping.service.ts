import { randomUUID } from 'node:crypto';
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

/** A second type on the ping topic, handled by the same method as PING_SENT. */
export class PingEchoed {
  @IsString()
  @Length(1, 64)
  pingId!: string;
}

export const PING_ECHOED = 'keel.test.ping_echoed.v1';

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
    defineEventType({
      type: PING_ECHOED,
      topic,
      payload: PingEchoed,
      subject: 'pingId',
      visibility: 'internal',
      description: 'Test echo of a ping, on the same topic.',
    }),
  ]);
}

class CreatePings1763900000100 implements MigrationInterface {
  name = 'CreatePings1763900000100';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE pings (ping_id text PRIMARY KEY)');
    // One row per event handled, with the handler call that got it and its place in that call.
    await queryRunner.query(
      `CREATE TABLE pongs (ping_id text NOT NULL, traceparent text, event_type text NOT NULL,
                           call_id uuid NOT NULL, position int NOT NULL)`,
    );
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
    @EventPattern([PING_SENT, PING_ECHOED])
    async onPings(
      @Payload() events: readonly EventEnvelope<PingSent | PingEchoed>[],
      @Ctx() context: InboxContext,
    ): Promise<void> {
      await context.getManager().query(
        `INSERT INTO pongs (ping_id, traceparent, event_type, call_id, position)
         SELECT ping_id, traceparent, event_type, $4, position
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY
           AS event(ping_id, traceparent, event_type, position)`,
        [
          events.map((event) => event.data.pingId),
          events.map((event) => event.traceparent ?? null),
          events.map((event) => event.type),
          randomUUID(),
        ],
      );
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
