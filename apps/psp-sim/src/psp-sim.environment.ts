// class-transformer's @Type reads decorator metadata, which this module may be the first to need.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsKeelProfile, loadEnvironment, Sensitive, type KeelProfile } from '@keel/platform';
import { SEED_MAX } from '@keel/seeded-random';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MAX_PORT = 65_535;
const WEBHOOK_URL_OPTIONS = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

/**
 * The simulator's environment, validated at boot. Its credentials are secrets like a real PSP's:
 * under KEEL_PROFILE=local an unset one takes the public test value of API.md, which clients and
 * tests share (it holds no real money); anywhere else each must be set, 32 characters or more.
 * Port 0 picks a free port (tests).
 */
export class PspSimEnvironment {
  @IsString()
  PSP_SIM_HOST = '127.0.0.1';

  /** `local` wherever the simulator stands in for the PSPs of a local Keel (keel-profile.ts). */
  @IsKeelProfile()
  KEEL_PROFILE?: KeelProfile;

  /** Admin API and all three PSPs. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PORT)
  PSP_SIM_PORT = 3010;

  /** acme alone; closed by an outage "refuse" fault on acme. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PORT)
  PSP_SIM_ACME_PORT = 3011;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PORT)
  PSP_SIM_NOVA_PORT = 3012;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PORT)
  PSP_SIM_SWIFTPAY_PORT = 3013;

  @Sensitive({ localValue: 'acme_test_key' })
  @MaxLength(255)
  PSP_SIM_ACME_API_KEY!: string;

  @Sensitive({ localValue: 'whsec_acme_test' })
  @MaxLength(255)
  PSP_SIM_ACME_WEBHOOK_SECRET!: string;

  @IsString()
  @Length(1, 255)
  PSP_SIM_NOVA_MERCHANT_ID = 'nova_mid_test';

  @Sensitive({ localValue: 'nova_secret_test' })
  @MaxLength(255)
  PSP_SIM_NOVA_SECRET!: string;

  @Sensitive({ localValue: 'nova_whsec_test' })
  @MaxLength(255)
  PSP_SIM_NOVA_WEBHOOK_SECRET!: string;

  /** Named in the header of swiftpay's settlement files (a 20-character field). */
  @IsString()
  @Length(1, 20)
  @Matches(/^[\x21-\x7e]+$/, {
    message: 'PSP_SIM_SWIFTPAY_MERCHANT_ID must be printable ASCII without spaces',
  })
  PSP_SIM_SWIFTPAY_MERCHANT_ID = 'swift_mid_test';

  @Sensitive({ localValue: 'swift_test_key' })
  @MaxLength(255)
  PSP_SIM_SWIFTPAY_KEY!: string;

  @Sensitive({ localValue: 'swift_whsec_test' })
  @MaxLength(255)
  PSP_SIM_SWIFTPAY_WEBHOOK_SECRET!: string;

  /** Where acme posts its webhooks; none are sent when unset. */
  @IsOptional()
  @IsUrl(WEBHOOK_URL_OPTIONS)
  PSP_SIM_WEBHOOK_URL_ACME?: string;

  @IsOptional()
  @IsUrl(WEBHOOK_URL_OPTIONS)
  PSP_SIM_WEBHOOK_URL_NOVA?: string;

  @IsOptional()
  @IsUrl(WEBHOOK_URL_OPTIONS)
  PSP_SIM_WEBHOOK_URL_SWIFTPAY?: string;

  /** How long a `tok_pending` charge waits for its issuer. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  PSP_SIM_PENDING_DELAY_MS = 2_000;

  /**
   * Each PSP's fee on approved charges under its contract, in basis points, rounded half up to a
   * minor unit; settlement files report it (docs/settlement-files.md).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  PSP_SIM_FEE_BPS_ACME = 250;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  PSP_SIM_FEE_BPS_NOVA = 290;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  PSP_SIM_FEE_BPS_SWIFTPAY = 320;

  /** Seed of the fault draws; a random one (logged) when unset, so any run can be replayed. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(SEED_MAX)
  PSP_SIM_SEED?: number;

  /** How long a timeout fault keeps a request hanging before it drops the connection. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600_000)
  PSP_SIM_HANG_MS = 30_000;

  /** Charges kept; beyond it new charges are answered 503 (the store is ground truth, nothing is evicted). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  PSP_SIM_MAX_CHARGES = 1_000_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PSP_SIM_MAX_FAULTS = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PSP_SIM_MAX_SETTLEMENT_FAULTS = 1_000;

  /**
   * Where each PSP's settlement file is written once its day ends in its time zone (and on demand,
   * POST /admin/settlement-files); no file is written when unset.
   */
  @IsOptional()
  @IsString()
  @MaxLength(4_096)
  PSP_SIM_SETTLEMENT_DIR?: string;

  /** Settlement files are sent and written in chunks of about this size, never whole. */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(4_194_304)
  PSP_SIM_SETTLEMENT_CHUNK_BYTES = 65_536;

  /** Webhook retries after the first attempt. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20)
  PSP_SIM_WEBHOOK_MAX_RETRIES = 5;

  /** Delay before the first webhook retry, doubled for each next one. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  PSP_SIM_WEBHOOK_BACKOFF_MS = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  PSP_SIM_WEBHOOK_BACKOFF_MAX_MS = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600_000)
  PSP_SIM_WEBHOOK_TIMEOUT_MS = 5_000;

  /** Kept-alive connections per webhook receiver; more webhooks at once wait for a free one (within their timeout). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  PSP_SIM_WEBHOOK_MAX_SOCKETS = 64;

  /** Webhook deliveries in progress (sending or waiting to retry); more are dropped and logged. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PSP_SIM_WEBHOOK_MAX_IN_PROGRESS = 10_000;

  /** Larger request bodies are refused with 413 before they are parsed. */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(10_485_760)
  PSP_SIM_HTTP_BODY_LIMIT_BYTES = 102_400;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
}

/** Reads and validates the environment; an empty variable means unset, as in shells and .env files. */
export function loadPspSimEnvironment(source: NodeJS.ProcessEnv = process.env): PspSimEnvironment {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  return loadEnvironment(PspSimEnvironment, present);
}
