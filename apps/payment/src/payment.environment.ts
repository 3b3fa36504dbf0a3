import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import { DEFAULT_FEE_POLICY, FeePolicyError, parseFeePolicy } from '@keel/fees';
import { ROUNDING_MODES, type RoundingMode } from '@keel/money';
import { LOCAL_API_KEY_HASH_SECRET } from '@keel/api-keys';
import { Sensitive, ServiceEnvironment } from '@keel/platform';
import {
  PAYMENT_METHOD_TYPES,
  PAYMENT_ORDERS_MAX,
  parseAmountLimits,
  parseMethodsByCurrency,
} from '@keel/payment-domain';

const HOUR_MS = 3_600_000;
/** Comma-separated entries without spaces inside an entry. */
const LIST_PATTERN = /^[^\s,]*(\s*,\s*[^\s,]*)*$/;

function IsAmountLimits(): PropertyDecorator {
  return ValidateBy({
    name: 'isAmountLimits',
    validator: {
      validate: (value) => {
        try {
          return typeof value === 'string' && parseAmountLimits(value) instanceof Map;
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        'RISK_AMOUNT_LIMITS must be a JSON object of ISO 4217 codes to minor units as strings, e.g. {"KRW":"5000000"}',
    },
  });
}

function IsMethodsByCurrency(): PropertyDecorator {
  return ValidateBy({
    name: 'isMethodsByCurrency',
    validator: {
      validate: (value) => {
        try {
          return (
            typeof value === 'string' && parseMethodsByCurrency(value, PAYMENT_METHOD_TYPES) instanceof Map
          );
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        'PAYMENT_METHODS_BY_CURRENCY must be a JSON object of ISO 4217 codes to method types, e.g. {"USD":["card"]}',
    },
  });
}

/** The fee table is configuration, so its size is bounded like any other input. */
const FEE_TABLE_LENGTH_MAX = 4_096;

/** Why PAYMENT_FEE_BPS is not a fee table, in the words of the shared parser; undefined if it is one. */
function feeTableProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > FEE_TABLE_LENGTH_MAX) {
    return `PAYMENT_FEE_BPS must be a JSON object of basis points, at most ${FEE_TABLE_LENGTH_MAX} characters`;
  }
  try {
    parseFeePolicy(value, DEFAULT_FEE_POLICY.rounding);
    return undefined;
  } catch (error) {
    if (error instanceof FeePolicyError) return `PAYMENT_FEE_BPS: ${error.message}`;
    throw error;
  }
}

function IsFeeTable(): PropertyDecorator {
  return ValidateBy({
    name: 'isFeeTable',
    validator: {
      validate: (value) => feeTableProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => feeTableProblem(args?.value) ?? 'invalid fee table',
    },
  });
}

/** The payment service's environment: the platform's variables plus intake, idempotency, risk and the fee. */
export class PaymentEnvironment extends ServiceEnvironment {
  /**
   * The server secret merchants' API keys are hashed with (HMAC-SHA-256): the table holds only
   * these hashes. Changing it invalidates every key. No default outside KEEL_PROFILE=local.
   */
  @Sensitive({ localValue: LOCAL_API_KEY_HASH_SECRET })
  API_KEY_HASH_SECRET!: string;

  /**
   * How long an instance trusts what it read about an API key: the longest a revoked key keeps
   * working, and the reason authentication adds no statement per request in steady state.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300_000)
  API_KEY_CACHE_TTL_MS = 30_000;

  /** API keys whose verdict an instance keeps at once; the least recently used are dropped. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  API_KEY_CACHE_ENTRIES_MAX = 10_000;

  /** How long an Idempotency-Key is remembered (IETF draft: 24 h is the customary minimum). */
  @Type(() => Number)
  @IsInt()
  @Min(60_000)
  @Max(30 * 24 * HOUR_MS)
  IDEMPOTENCY_KEY_TTL_MS = 24 * HOUR_MS;

  /** Retry-After (seconds) sent with the 409 for a request whose first copy is still running. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600)
  IDEMPOTENCY_IN_FLIGHT_RETRY_AFTER_S = 1;

  /** Retry-After (seconds) of a method_unavailable answer when the executor gave none. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600)
  METHOD_UNAVAILABLE_RETRY_AFTER_S = 5;

  /**
   * How often intake re-reads method availability from its table, in the background: the longest
   * an instance can miss a report that another instance's consumer recorded.
   */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  METHOD_AVAILABILITY_REFRESH_MS = 1_000;

  /**
   * The payment method types offered per currency, e.g. {"KRW":["card","easy_pay","bank_transfer"],
   * "USD":["card"]}: what GET /v1/payment-methods lists and intake accepts. A currency not listed
   * offers every method type.
   */
  @IsMethodsByCurrency()
  PAYMENT_METHODS_BY_CURRENCY = '{}';

  /** A claim older than this belongs to a request that died; a retry may take it over. */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(HOUR_MS)
  IDEMPOTENCY_CLAIM_TIMEOUT_MS = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(24 * HOUR_MS)
  IDEMPOTENCY_PURGE_INTERVAL_MS = 60_000;

  /** Expired keys deleted per statement, so a purge never holds long locks. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  IDEMPOTENCY_PURGE_BATCH_SIZE = 1_000;

  /** Statements per purge run; what is left waits for the next run. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  IDEMPOTENCY_PURGE_MAX_BATCHES = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAYMENT_ORDERS_MAX)
  MAX_ORDERS_PER_PAYMENT = 50;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  PAGE_SIZE_DEFAULT = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  PAGE_SIZE_MAX = 100;

  /**
   * The platform fee in basis points per payment method type, as a JSON object; a type it leaves
   * out keeps the default of @keel/fees. Each order's fee is decided with it once, when the payment
   * is accepted, and travels with the order: wallet and ledger apply that fee and compute none.
   */
  @IsFeeTable()
  PAYMENT_FEE_BPS: string = JSON.stringify(DEFAULT_FEE_POLICY.basisPointsByMethod);

  /** How a fee's fraction of a minor unit is rounded. */
  @IsIn(ROUNDING_MODES)
  PAYMENT_FEE_ROUNDING: RoundingMode = DEFAULT_FEE_POLICY.rounding;

  /** Largest payment total per currency in minor units, e.g. {"KRW":"5000000","USD":"500000"}. */
  @IsAmountLimits()
  RISK_AMOUNT_LIMITS = '{}';

  /** A buyer may make at most this many payments within RISK_VELOCITY_WINDOW_MS. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RISK_VELOCITY_MAX_PAYMENTS = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(30 * 24 * HOUR_MS)
  RISK_VELOCITY_WINDOW_MS = HOUR_MS;

  /** Comma-separated buyer ids whose payments are rejected. */
  @IsString()
  @Matches(LIST_PATTERN)
  RISK_BLOCKED_BUYER_IDS = '';

  /** Comma-separated card or easy-pay tokens whose payments are rejected. */
  @IsString()
  @Matches(LIST_PATTERN)
  RISK_BLOCKED_INSTRUMENT_TOKENS = '';

  /** Comma-separated ISO 3166-1 alpha-2 codes of buyer countries whose payments are rejected. */
  @Matches(/^$|^\s*[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*\s*$/, {
    message: 'RISK_BLOCKED_COUNTRIES must be comma-separated ISO 3166-1 alpha-2 codes',
  })
  RISK_BLOCKED_COUNTRIES = '';

  /**
   * New payments are refused (503 overloaded, reason charge_backlog) while this many accepted ones
   * wait for the executor's charge outcome. Payments whose charges have an outcome never count,
   * however long wallet and ledger take to confirm them.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  PAYMENT_MAX_PENDING_PAYMENTS = 2_000;

  /**
   * Below that cap, creates are also refused (503 overloaded, reason charge_backlog) while a
   * payment admitted now would wait longer than this for its charge at the recent charge rate: the
   * time budget a restart of the executor or the broker must fit into. Under overload, admitted
   * payments wait about this long at most for their charge instead of queueing.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(HOUR_MS)
  PAYMENT_MAX_CHARGE_WAIT_MS = 60_000;

  /** The wait budget never refuses while fewer payments than this wait for their charge. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  PAYMENT_PENDING_LIMIT_FLOOR = 50;

  /** How often the charge backlog and the recent charge rate are read. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  PAYMENT_BACKLOG_SAMPLE_MS = 250;

  /**
   * The window over which the charge rate is measured. An executor stall of d seconds leaves the
   * rate at (window − d)/window of its value, so the longer the window, the longer a stall admission
   * rides out (with the window equal to the wait budget B, stalls up to B/2), and the slower the
   * rate follows a real drop in the executor's capacity.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(HOUR_MS)
  PAYMENT_CHARGE_RATE_WINDOW_MS = 60_000;

  /**
   * Create requests handled at once; beyond it a request is refused at once (503, Retry-After: 1).
   * Keep it near DB_POOL_SIZE: more only wait for a connection, and fail once that wait times out.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PAYMENT_MAX_CONCURRENT_CREATES = 16;

  /**
   * Sustained writes (POST) per second per API key, on each instance (token bucket; beyond it 429
   * rate_limited with Retry-After). The default leaves one key room for 150 creates a second.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PAYMENT_KEY_WRITE_RATE_PER_S = 200;

  /** Writes an API key may send at once before its write rate applies. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  PAYMENT_KEY_WRITE_BURST = 400;

  /**
   * Sustained reads (GET) per second per API key, on each instance, counted apart from writes:
   * a client polling its payments never uses up its room to create them.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PAYMENT_KEY_READ_RATE_PER_S = 1_000;

  /** Reads an API key may send at once before its read rate applies. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  PAYMENT_KEY_READ_BURST = 2_000;

  /**
   * API keys whose rates an instance tracks at once, for writes and for reads each. A key idle
   * long enough to be back to its burst is forgotten; past the cap the least recently seen are.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  PAYMENT_KEY_BUCKETS_MAX = 100_000;

  /** Largest Retry-After (seconds) of a shed create or a rate-limited request. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600)
  PAYMENT_SHED_RETRY_AFTER_MAX_S = 30;
}
