import type { SettlementPsp } from '@keel/reconciliation-domain';
import type { SettlementFile } from '../settlement/settlement-file';

/** What started a run: the daily schedule, an operator's request, or an operator's upload. */
export const RUN_TRIGGERS = ['schedule', 'api', 'upload'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/**
 * `running` while its file is read and matched; `completed` once the file is stored and every
 * RunStep has run (`ingested`: the file is stored and there were no steps — runs recorded before
 * matching existed); `failed` with its error, and nothing of its file or its steps stored.
 */
export const RUN_STATUSES = ['running', 'ingested', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Why a run failed, as its problem said. */
export interface RunError {
  readonly code: string;
  readonly detail: string;
  readonly lineNumber?: number;
  readonly problem?: string;
}

/** What a run found: its file (ingested now or before) and what each step adds. */
export interface RunSummary {
  readonly file: SettlementFile & { readonly alreadyIngested: boolean };
  readonly [step: string]: unknown;
}

export interface ReconciliationRun {
  readonly id: string;
  readonly psp: SettlementPsp;
  /** The PSP's day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly fileId: string | null;
  readonly error: RunError | null;
  readonly summary: RunSummary | null;
}

/** `GET /v1/reconciliation/runs` filters; each narrows the list (AND). */
export interface RunListQuery {
  readonly psp?: string;
  readonly date?: string;
  readonly status?: RunStatus;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface RunPage {
  readonly data: readonly ReconciliationRun[];
  readonly nextCursor: string | null;
}
