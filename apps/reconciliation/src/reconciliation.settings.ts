import type { ReconciliationEnvironment } from './reconciliation.environment';
import type { ReconciliationRunSettings } from './runs/reconciliation-runs.service';
import type { RunScheduleSettings } from './runs/run-schedule.service';
import type { SettlementDownloadSettings } from './settlement/settlement-downloader.service';
import type { SettlementIngestionSettings } from './settlement/settlement-ingestion.service';

/** What the settlement and runs features take from the environment. */
export interface SettlementRunSettings {
  readonly download: SettlementDownloadSettings;
  readonly ingestion: SettlementIngestionSettings;
  readonly runs: ReconciliationRunSettings;
  readonly schedule: RunScheduleSettings;
}

export function settlementRunSettingsOf(environment: ReconciliationEnvironment): SettlementRunSettings {
  return {
    download: {
      acme: { baseUrl: environment.PSP_ACME_URL, apiKey: environment.PSP_ACME_API_KEY },
      nova: {
        baseUrl: environment.PSP_NOVA_URL,
        merchantId: environment.PSP_NOVA_MERCHANT_ID,
        secret: environment.PSP_NOVA_SECRET,
      },
      swiftpay: { baseUrl: environment.PSP_SWIFTPAY_URL, apiKey: environment.PSP_SWIFTPAY_API_KEY },
      timeouts: {
        connectMs: environment.RECON_DOWNLOAD_CONNECT_TIMEOUT_MS,
        headersMs: environment.RECON_DOWNLOAD_HEADERS_TIMEOUT_MS,
        idleMs: environment.RECON_DOWNLOAD_IDLE_TIMEOUT_MS,
      },
    },
    ingestion: {
      fileBytesMax: environment.RECON_FILE_BYTES_MAX,
      lineCharsMax: environment.RECON_LINE_CHARS_MAX,
      insertBatchRows: environment.RECON_INSERT_BATCH_ROWS,
    },
    runs: {
      downloadTimeoutMs: environment.RECON_DOWNLOAD_TIMEOUT_MS,
      pageSizeDefault: environment.RECON_RUNS_PAGE_SIZE_DEFAULT,
      pageSizeMax: environment.RECON_RUNS_PAGE_SIZE_MAX,
      abandonedAfterMs: environment.RECON_RUN_ABANDONED_AFTER_MS,
    },
    schedule: { cron: environment.RECON_SCHEDULE_CRON, timeZone: environment.RECON_SCHEDULE_TIME_ZONE },
  };
}
