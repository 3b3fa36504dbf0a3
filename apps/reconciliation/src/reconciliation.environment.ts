import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min, ValidateBy } from 'class-validator';
import { Cron } from 'croner';
import { PspAccountsEnvironment } from '@keel/psp-accounts';
import { DEFAULT_PSP_FEE_CONTRACTS, parsePspFeeContracts } from '@keel/reconciliation-domain';

/** The highest page size a runs list may be configured or asked for. */
export const RECON_RUNS_PAGE_SIZE_LIMIT = 1_000;

function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Empty (no schedule) or a cron expression croner reads. */
function IsCronOrEmpty(): PropertyDecorator {
  return ValidateBy({
    name: 'isCronOrEmpty',
    validator: {
      validate: (value) => {
        if (value === '') return true;
        if (typeof value !== 'string') return false;
        try {
          new Cron(value, { paused: true }).stop();
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        'RECON_SCHEDULE_CRON must be empty (no schedule) or a cron expression, e.g. "30 2 * * *"',
    },
  });
}

function IsTimeZone(): PropertyDecorator {
  return ValidateBy({
    name: 'isTimeZone',
    validator: {
      validate: isTimeZone,
      defaultMessage: () => 'RECON_SCHEDULE_TIME_ZONE must be an IANA time zone, e.g. UTC or Asia/Seoul',
    },
  });
}

/** PSP fee contracts as `parsePspFeeContracts` reads them: every PSP, whole basis points. */
function IsPspFeeContracts(): PropertyDecorator {
  return ValidateBy({
    name: 'isPspFeeContracts',
    validator: {
      validate: (value) => {
        if (typeof value !== 'string') return false;
        try {
          parsePspFeeContracts(value);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        'RECON_PSP_FEE_CONTRACTS must be a JSON object of every PSP to whole basis points, e.g. {"acme":250,"nova":290,"swiftpay":320}',
    },
  });
}

/**
 * The reconciliation service's environment: the variables every Keel service reads, and its own as
 * it gains them, each with validation rules, a safe default and limits; secrets marked @Sensitive().
 */
export class ReconciliationEnvironment extends PspAccountsEnvironment {
  /**
   * Reconciliation matches a day a day later, so its view of Keel may trail by a second: a fetch
   * that waits up to KAFKA_FETCH_MAX_WAIT_MS for 64 KiB brings chunks of tens of events where the
   * payment's path, answered at the first byte, pays a transaction for nearly every record.
   */
  override KAFKA_FETCH_MIN_BYTES = 65_536;

  // --- Settlement files: each PSP serves them at PSP_<PSP>_URL, to its API's credentials ----------
  // (PspAccountsEnvironment: the executor's names and secrets).

  /** Connecting to a PSP. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  RECON_DOWNLOAD_CONNECT_TIMEOUT_MS = 5_000;

  /** From the request sent to the answer's headers (the PSP starts its file). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  RECON_DOWNLOAD_HEADERS_TIMEOUT_MS = 30_000;

  /** Between two chunks of a file's body: a PSP that stalls mid-file is given up. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  RECON_DOWNLOAD_IDLE_TIMEOUT_MS = 30_000;

  /** A whole download, ingestion included (rows are stored as they arrive). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  RECON_DOWNLOAD_TIMEOUT_MS = 600_000;

  // --- Ingestion --------------------------------------------------------------------------------

  /** The largest settlement file read, downloaded or uploaded; 1 GiB holds ~8 million acme rows. */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(68_719_476_736)
  RECON_FILE_BYTES_MAX = 1_073_741_824;

  /** The longest line (CSV: record) of a settlement file; one line never grows memory past it. */
  @Type(() => Number)
  @IsInt()
  @Min(256)
  @Max(1_048_576)
  RECON_LINE_CHARS_MAX = 4_096;

  /** Rows sent by one COPY when a file is stored; memory holds two chunks (one written, the next read). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RECON_INSERT_BATCH_ROWS = 5_000;

  // --- Runs -------------------------------------------------------------------------------------

  /**
   * When the daily run of every PSP starts (croner's cron syntax, e.g. `30 2 * * *`); it reads each
   * PSP's last whole day in its own zone. Empty: no schedule.
   */
  @IsCronOrEmpty()
  RECON_SCHEDULE_CRON = '';

  /** The zone RECON_SCHEDULE_CRON is read in (IANA). */
  @IsTimeZone()
  RECON_SCHEDULE_TIME_ZONE = 'UTC';

  /**
   * A run still `running` this long after it started is taken for abandoned — the process that ran
   * it died — and failed (`abandoned`), so that its day can be run again. Keep it well above the
   * longest run (a million rows take about a minute).
   */
  @Type(() => Number)
  @IsInt()
  @Min(60_000)
  @Max(7 * 24 * 3_600_000)
  RECON_RUN_ABANDONED_AFTER_MS = 3_600_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECON_RUNS_PAGE_SIZE_LIMIT)
  RECON_RUNS_PAGE_SIZE_DEFAULT = 50;

  /** A list's `limit` above it is lowered to it. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECON_RUNS_PAGE_SIZE_LIMIT)
  RECON_RUNS_PAGE_SIZE_MAX = 200;

  // --- Keel's view (from events) ----------------------------------------------------------------

  /** Each PSP's contract fee in basis points, for the fee a charge's row should carry. */
  @IsPspFeeContracts()
  RECON_PSP_FEE_CONTRACTS = JSON.stringify(
    Object.fromEntries(Object.entries(DEFAULT_PSP_FEE_CONTRACTS).map(([psp, fee]) => [psp, fee.basisPoints])),
  );

  /** Keel's orders of a PSP's day fetched from their cursor at a time; memory holds one fetch. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RECON_VIEW_FETCH_ROWS = 1_000;

  /**
   * A run waits, before matching, until the view has consumed its topics up to their end offsets at
   * the run's start (what Keel had published by then), at most this long; past it the run goes on
   * and its three-way check reports the view `lagging` instead of opening a wallet discrepancy. 0:
   * one look, no wait.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  RECON_VIEW_CATCH_UP_TIMEOUT_MS = 30_000;

  /** How often that wait asks Kafka for the view's consumer group's committed offsets. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(10_000)
  RECON_VIEW_CATCH_UP_POLL_MS = 250;

  // --- Automatic fixes -------------------------------------------------------------------------

  /**
   * Whether runs fix the safe classes on their own: a `missing_in_keel` charge refunded through the
   * executor's orphan path, a `fee_mismatch` adjusted in the ledger. Off: every discrepancy stays
   * open for a person. `true` or `false`; anything else is refused at boot.
   */
  @IsIn(['true', 'false'])
  RECON_AUTO_FIX = 'true';

  /** Fixes one run asks for at most; the rest of a day with more stay open for a person. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  RECON_AUTO_FIX_PER_RUN_MAX = 1_000;

  // --- Matching and discrepancies ---------------------------------------------------------------

  /** The most rows of a file one key may gather; a file repeating one key without end fails its run. */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(1_000_000)
  RECON_MATCH_ROWS_PER_KEY_MAX = 1_000;

  /** Discrepancies stored by one multi-row upsert; memory holds one batch at a time. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  RECON_DISCREPANCY_BATCH_ROWS = 500;

  /** Sellers whose wallet and seller payable differ, named in a run's summary and discrepancy (the most different first). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  RECON_WALLET_SELLERS_REPORTED_MAX = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECON_RUNS_PAGE_SIZE_LIMIT)
  RECON_DISCREPANCIES_PAGE_SIZE_DEFAULT = 50;

  /** A discrepancies list's `limit` above it is lowered to it. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECON_RUNS_PAGE_SIZE_LIMIT)
  RECON_DISCREPANCIES_PAGE_SIZE_MAX = 200;
}
