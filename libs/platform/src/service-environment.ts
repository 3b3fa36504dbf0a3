import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { DEFAULT_KAFKA_CLIENT_KIND, KAFKA_CLIENT_KINDS, type KafkaClientKind } from '@keel/messaging';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The environment every Keel service reads at boot, validated before anything starts. A service
 * extends it with its own variables. Defaults are safe for local development; none is a secret.
 */
export class ServiceEnvironment {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  PORT!: number;

  @IsString()
  HOST = '0.0.0.0';

  /** The service's own database, e.g. postgres://user@host:5432/keel_payment. */
  @Matches(/^postgres(ql)?:\/\/.+\/[a-z_][a-z0-9_]*(\?.*)?$/, {
    message: 'DATABASE_URL must be a postgres:// URL naming a database',
  })
  DATABASE_URL!: string;

  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: 'KAFKA_BROKERS must be host:port[,host:port...]',
  })
  KAFKA_BROKERS!: string;

  /** Prefix of every topic name; empty for the catalog names. Lets test runs share a cluster. */
  @Matches(/^([a-z0-9][a-z0-9-]{0,40})?$/, {
    message: 'KAFKA_TOPIC_NAMESPACE must be lower-case letters, digits and -',
  })
  KAFKA_TOPIC_NAMESPACE = '';

  /** The Kafka client library (docs/adr/0004-kafka-client.md). */
  @IsIn(KAFKA_CLIENT_KINDS, { message: `KAFKA_CLIENT must be one of ${KAFKA_CLIENT_KINDS.join(', ')}` })
  KAFKA_CLIENT: KafkaClientKind = DEFAULT_KAFKA_CLIENT_KIND;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  DB_STATEMENT_TIMEOUT_MS = 30_000;

  /** Request bodies above this size are refused with 413 before they are parsed. */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(10_485_760)
  HTTP_BODY_LIMIT_BYTES = 102_400;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  CONSUMER_CHUNK_SIZE = 100;

  /** Retry-After (seconds) of a request refused because the database connection failed; the pool reconnects within about this. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600)
  STORAGE_UNAVAILABLE_RETRY_AFTER_S = 1;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  OUTBOX_BATCH_SIZE = 500;

  /** Longest wait before the relay looks for rows another instance committed (its own wake it at once). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS = 250;

  /** Processed event ids are kept this long for deduplication: longer than the topics' retention. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(8_760)
  INBOX_RETENTION_HOURS = 192;
}

export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/** Reads and validates the environment into `shape`; throws one error listing every problem. */
export function loadEnvironment<T extends ServiceEnvironment>(
  shape: new () => T,
  source: NodeJS.ProcessEnv = process.env,
): T {
  const environment = plainToInstance(shape, { ...source }, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) =>
      Object.values(error.constraints ?? {}).map((message) => `  ${error.property}: ${message}`),
    );
    throw new EnvironmentError(`invalid environment:\n${problems.join('\n')}`);
  }
  return environment;
}
