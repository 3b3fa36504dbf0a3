import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  validateSync,
} from 'class-validator';
import {
  DEFAULT_INBOX_SETTINGS,
  DEFAULT_KAFKA_CLIENT_KIND,
  KAFKA_CLIENT_KINDS,
  supportsStaticMembership,
  type KafkaClientKind,
} from '@keel/messaging';
import { LOCAL_OPERATOR_TOKEN_SECRET, OPERATOR_TOKEN_MAX_TTL_HOURS_DEFAULT } from '@keel/operator-auth';
import { IsKeelProfile, type KeelProfile } from './keel-profile';
import {
  defaultedSecretsOf,
  problemsOf,
  Sensitive,
  unmarkedSecretsOf,
  withLocalSecrets,
} from './sensitive-variable';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A check of one variable against others of the same environment (e.g. a heartbeat against its session). */
function Satisfies(
  check: (value: unknown, environment: ServiceEnvironment) => boolean,
  message: string,
): PropertyDecorator {
  return ValidateBy({
    name: 'satisfies',
    validator: {
      validate: (value, args) => check(value, args?.object as ServiceEnvironment),
      defaultMessage: () => message,
    },
  });
}

/**
 * The environment every Keel service reads at boot, validated before anything starts. A service
 * extends it with its own variables. Defaults are safe for local development; none is a secret.
 * Secrets are marked @Sensitive(): they have no default (KEEL_PROFILE=local gives some the PSP
 * simulator's values), and the startup log, a validation error and redactedEnvironment hide them.
 */
export class ServiceEnvironment {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  PORT!: number;

  /**
   * The address to listen on: loopback unless told otherwise, so a service started by hand is not
   * reachable from the network. A container sets 0.0.0.0 (deploy/Dockerfile), where loopback
   * reaches nothing.
   */
  @IsString()
  HOST = '127.0.0.1';

  /** `local` on a developer's machine and in the tests; unset elsewhere (keel-profile.ts). */
  @IsKeelProfile()
  KEEL_PROFILE?: KeelProfile;

  /**
   * The service's own database, e.g. postgres://user:password@host:5432/keel_payment. Its
   * password's strength is the database server's to enforce, so no length beyond being set.
   */
  @Sensitive({ minLength: 1 })
  @Matches(/^postgres(ql)?:\/\/.+\/[a-z_][a-z0-9_]*(\?.*)?$/, {
    message: 'DATABASE_URL must be a postgres:// URL naming a database',
  })
  DATABASE_URL!: string;

  /**
   * Signs and checks operator tokens (HMAC-SHA-256), the credential of every internal endpoint
   * (/metrics, routes, wallet and ledger reads, admin). Every service of a deployment has the same
   * one; changing it ends every token. No default outside KEEL_PROFILE=local.
   */
  @Sensitive({ localValue: LOCAL_OPERATOR_TOKEN_SECRET })
  OPERATOR_TOKEN_SECRET!: string;

  /** The longest an operator token may live; nothing revokes one sooner but rotating the secret. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  OPERATOR_TOKEN_MAX_TTL_HOURS = OPERATOR_TOKEN_MAX_TTL_HOURS_DEFAULT;

  /** How far ahead of this host's clock an operator token's issue time may be. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600)
  OPERATOR_TOKEN_CLOCK_SKEW_S = 60;

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

  /** The instance's stable identity among the service's instances (an index, a pod name); see KAFKA_GROUP_INSTANCE_ID. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'KEEL_INSTANCE_ID must be 1-200 of A-Z a-z 0-9 . _ -' })
  KEEL_INSTANCE_ID?: string;

  /**
   * Static membership of the consumer group (`group.instance.id`), so a restarted instance takes its
   * partitions back at once. Default: `keel-<service>-<KEEL_INSTANCE_ID>` when KEEL_INSTANCE_ID is
   * set and the client has static membership. kafkajs has none: setting this with it is an error.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,249}$/, {
    message: 'KAFKA_GROUP_INSTANCE_ID must be 1-249 of A-Z a-z 0-9 . _ -',
  })
  @Satisfies(
    (_id, environment) => supportsStaticMembership(environment.KAFKA_CLIENT),
    'KAFKA_GROUP_INSTANCE_ID needs a client with static membership (KAFKA_CLIENT=platformatic); kafkajs has none',
  )
  KAFKA_GROUP_INSTANCE_ID?: string;

  /** A consumer not heard from for this long leaves its group (why 10 s: DEFAULT_INBOX_SETTINGS). */
  @Type(() => Number)
  @IsInt()
  @Min(6_000)
  @Max(1_800_000)
  KAFKA_SESSION_TIMEOUT_MS = DEFAULT_INBOX_SETTINGS.sessionTimeoutMs;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Satisfies(
    (interval, environment) => Number(interval) * 3 <= environment.KAFKA_SESSION_TIMEOUT_MS,
    'KAFKA_HEARTBEAT_INTERVAL_MS must be at most a third of KAFKA_SESSION_TIMEOUT_MS',
  )
  KAFKA_HEARTBEAT_INTERVAL_MS = DEFAULT_INBOX_SETTINGS.heartbeatIntervalMs;

  @Type(() => Number)
  @IsInt()
  @Max(1_800_000)
  @Satisfies(
    (timeout, environment) => Number(timeout) >= environment.KAFKA_SESSION_TIMEOUT_MS,
    'KAFKA_REBALANCE_TIMEOUT_MS must be at least KAFKA_SESSION_TIMEOUT_MS',
  )
  KAFKA_REBALANCE_TIMEOUT_MS = DEFAULT_INBOX_SETTINGS.rebalanceTimeoutMs;

  /** Longest an idle fetch waits; kafkajs rejoins and leaves only between fetches (DEFAULT_INBOX_SETTINGS). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(30_000)
  KAFKA_FETCH_MAX_WAIT_MS = DEFAULT_INBOX_SETTINGS.fetchMaxWaitMs;

  /**
   * Bytes a fetch waits for, up to KAFKA_FETCH_MAX_WAIT_MS: 1 (the default) for the payment's path;
   * a service that may lag sets more for fuller chunks (DEFAULT_INBOX_SETTINGS, reconciliation).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(52_428_800)
  KAFKA_FETCH_MIN_BYTES = DEFAULT_INBOX_SETTINGS.fetchMinBytes;

  /** How often kafkajs commits applied offsets, 0 after every chunk (DEFAULT_INBOX_SETTINGS). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  KAFKA_OFFSET_COMMIT_INTERVAL_MS = DEFAULT_INBOX_SETTINGS.offsetCommitIntervalMs;

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

  /**
   * JSON bodies nested deeper than this (objects and arrays within each other) are refused with 400
   * body-too-deep once parsed, before any code walks them: a walk that recurses (hashing,
   * validation, card-number scans) would overflow the stack on a 100 KiB body of brackets.
   */
  @Type(() => Number)
  @IsInt()
  @Min(4)
  @Max(512)
  HTTP_BODY_DEPTH_MAX = 32;

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

  /**
   * After SIGTERM/SIGINT the service answers unready but keeps serving this long, so load balancers
   * and Kubernetes endpoints stop sending it requests before it stops listening. 5 s covers endpoint
   * propagation; 0 suits a run with nothing routing by readiness (docs/operations/graceful-shutdown.md).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_DRAIN_DELAY_MS = 5_000;

  /**
   * The whole graceful shutdown, drain included; past it the service logs what it was waiting on and
   * exits 1. Keep it below the orchestrator's grace period (Kubernetes: 30 s by default).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 20_000;
}

export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/**
 * Reads and validates the environment into `shape`; throws one error listing every problem, in
 * which no value of a sensitive variable appears. Under KEEL_PROFILE=local an unset secret takes
 * its local value first; anywhere else an unset secret is a problem that names it. A shape with a
 * variable named like a secret that is not marked @Sensitive(), or a secret given a default in
 * code, is refused before anything is read.
 */
export function loadEnvironment<T extends object>(
  shape: new () => T,
  source: NodeJS.ProcessEnv = process.env,
): T {
  const unmarked = unmarkedSecretsOf(shape);
  if (unmarked.length > 0) {
    throw new EnvironmentError(`named like secrets but not marked @Sensitive(): ${unmarked.join(', ')}`);
  }
  const defaulted = defaultedSecretsOf(shape);
  if (defaulted.length > 0) {
    throw new EnvironmentError(
      `secrets with a default in code (give a local value with @Sensitive({ localValue }) instead): ${defaulted.join(', ')}`,
    );
  }
  const present = withLocalSecrets(shape, source);
  const environment = plainToInstance(shape, { ...present }, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    const problems = problemsOf(errors, shape, source, environment);
    throw new EnvironmentError(`invalid environment:\n${problems.join('\n')}`);
  }
  return environment;
}
