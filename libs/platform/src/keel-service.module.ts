import { Module, type DynamicModule } from '@nestjs/common';
import {
  DatabaseModule,
  DEFAULT_DATABASE_SETTINGS,
  isTransientDatabaseError,
  type DatabaseModuleOptions,
} from '@keel/database';
import { groupInstanceIdOf, MESSAGING_MIGRATIONS, MessagingModule, parseBrokerList } from '@keel/messaging';
import { ObservabilityModule } from '@keel/observability';
import { OperatorAuthModule, operatorRoleGuard, type OperatorTokenSettings } from '@keel/operator-auth';
import type { EventTypeRegistry } from '@keel/contracts';
import { JsonBodyModule } from './json-body.module';
import type { ServiceEnvironment } from './service-environment';

export interface KeelServiceOptions {
  /** The service's name: logs, metrics, Kafka client id and consumer group `keel-<service>`. */
  service: string;
  environment: ServiceEnvironment;
  entities?: DatabaseModuleOptions['entities'];
  /** The service's own migrations; the outbox and inbox tables are created before them. */
  migrations?: readonly (new () => unknown)[];
  /** Topics whose events this service handles with `@EventPattern` methods. */
  consumes?: readonly string[];
  /** The event types it may publish and accept; Keel's catalog unless a test brings its own. */
  registry?: EventTypeRegistry;
}

/** The operator token settings of a service's environment. */
export function operatorTokenSettingsOf(environment: ServiceEnvironment): OperatorTokenSettings {
  return {
    secret: environment.OPERATOR_TOKEN_SECRET,
    maxTtlHours: environment.OPERATOR_TOKEN_MAX_TTL_HOURS,
    clockSkewS: environment.OPERATOR_TOKEN_CLOCK_SKEW_S,
  };
}

/**
 * Everything a Keel service stands on, wired once: JSON logs, metrics (to operators, viewer and
 * above) and health (open to probes) (observability), operator credentials and the audit of
 * operator writes, JSON request bodies within HTTP_BODY_LIMIT_BYTES and HTTP_BODY_DEPTH_MAX, its
 * own migrated database, and the outbox relay plus inbox consumer.
 */
@Module({})
export class KeelServiceModule {
  static forRoot(options: KeelServiceOptions): DynamicModule {
    const { service, environment } = options;
    const operatorTokens = operatorTokenSettingsOf(environment);
    return {
      module: KeelServiceModule,
      imports: [
        ObservabilityModule.forRoot({
          service,
          logLevel: environment.LOG_LEVEL,
          metricsAccess: operatorRoleGuard('viewer', operatorTokens),
          // A dropped connection is no fault of the request, and a retry (with its key) is safe.
          unavailableErrors: {
            matches: isTransientDatabaseError,
            code: 'storage_unavailable',
            retryAfterS: environment.STORAGE_UNAVAILABLE_RETRY_AFTER_S,
          },
        }),
        OperatorAuthModule.forRoot(operatorTokens),
        JsonBodyModule.forRoot({
          limitBytes: environment.HTTP_BODY_LIMIT_BYTES,
          depthMax: environment.HTTP_BODY_DEPTH_MAX,
        }),
        DatabaseModule.forRootAsync({
          useFactory: () => ({
            settings: {
              ...DEFAULT_DATABASE_SETTINGS,
              url: environment.DATABASE_URL,
              applicationName: `keel-${service}`,
              poolSize: environment.DB_POOL_SIZE,
              statementTimeoutMs: environment.DB_STATEMENT_TIMEOUT_MS,
            },
            entities: options.entities ?? [],
            migrations: [...MESSAGING_MIGRATIONS, ...(options.migrations ?? [])],
          }),
        }),
        MessagingModule.forRootAsync({
          useFactory: () => ({
            service,
            registry: options.registry,
            topicNamespace: environment.KAFKA_TOPIC_NAMESPACE,
            kafka: { brokers: parseBrokerList(environment.KAFKA_BROKERS), client: environment.KAFKA_CLIENT },
            relay: {
              batchSize: environment.OUTBOX_BATCH_SIZE,
              pollIntervalMs: environment.OUTBOX_POLL_INTERVAL_MS,
              inboxRetentionMs: environment.INBOX_RETENTION_HOURS * 3_600_000,
            },
            consumer:
              options.consumes === undefined || options.consumes.length === 0
                ? undefined
                : {
                    topics: options.consumes,
                    chunkSize: environment.CONSUMER_CHUNK_SIZE,
                    sessionTimeoutMs: environment.KAFKA_SESSION_TIMEOUT_MS,
                    heartbeatIntervalMs: environment.KAFKA_HEARTBEAT_INTERVAL_MS,
                    rebalanceTimeoutMs: environment.KAFKA_REBALANCE_TIMEOUT_MS,
                    fetchMaxWaitMs: environment.KAFKA_FETCH_MAX_WAIT_MS,
                    fetchMinBytes: environment.KAFKA_FETCH_MIN_BYTES,
                    offsetCommitIntervalMs: environment.KAFKA_OFFSET_COMMIT_INTERVAL_MS,
                    groupInstanceId: groupInstanceIdOf({
                      client: environment.KAFKA_CLIENT,
                      groupName: `keel-${service}`,
                      configured: environment.KAFKA_GROUP_INSTANCE_ID,
                      instanceId: environment.KEEL_INSTANCE_ID,
                    }),
                  },
          }),
        }),
      ],
    };
  }
}
