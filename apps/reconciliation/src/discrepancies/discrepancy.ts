import type { ReconciliationClass, SettlementPsp } from '@keel/reconciliation-domain';

/** `open` until a person resolves it, or a later run of its day no longer finds it. */
export const DISCREPANCY_STATUSES = ['open', 'resolved'] as const;
export type DiscrepancyStatus = (typeof DISCREPANCY_STATUSES)[number];

/** The classes matching finds that are discrepancies: every class but `matched` and `timing`. */
export const MATCHING_DISCREPANCY_CLASSES = [
  'missing_in_keel',
  'missing_at_psp',
  'amount_mismatch',
  'status_mismatch',
  'fee_mismatch',
  'duplicate',
] as const satisfies readonly ReconciliationClass[];

/**
 * The three-way check's wallet leg: the wallets' credits and the ledger's seller payables differ
 * in a currency. It is about Keel as a whole, not a PSP's day: stored under the run that first
 * found it, open at most once per currency, and resolved by the first run that finds them agreeing.
 */
export const WALLET_LEDGER_MISMATCH = 'wallet_ledger_mismatch';

export const DISCREPANCY_CLASSES = [...MATCHING_DISCREPANCY_CLASSES, WALLET_LEDGER_MISMATCH] as const;
export type DiscrepancyClass = (typeof DISCREPANCY_CLASSES)[number];

/**
 * The automatic fix a run asked for (discrepancies.fix), at most one per discrepancy:
 * `refund_requested` — the executor's orphan refund of a `missing_in_keel` charge;
 * `fee_adjustment_requested` — the ledger's adjustment of a `fee_mismatch`.
 */
export const DISCREPANCY_FIXES = ['refund_requested', 'fee_adjustment_requested'] as const;
export type DiscrepancyFix = (typeof DISCREPANCY_FIXES)[number];

/** The actor of what reconciliation decides on its own (a discrepancy a later run no longer finds). */
export const RECONCILIATION_ACTOR = 'reconciliation';

/** Money as the API and jsonb carry it: minor units as a decimal string. */
export interface MoneyView {
  readonly amountMinor: string;
  readonly currency: string;
}

/** A difference matching found and a person may have to act on. */
export interface Discrepancy {
  readonly id: string;
  readonly psp: SettlementPsp;
  /** The PSP's day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly class: DiscrepancyClass;
  /** What it is about: `<order id>/<PSP reference>`, or `file-fee/<currency>` for a per-file fee. */
  readonly matchKey: string;
  readonly merchantReference: string | null;
  readonly pspReference: string | null;
  /** Keel's side (its order as matching saw it; the contract's fee for a file fee); null when Keel has none. */
  readonly keel: Readonly<Record<string, unknown>> | null;
  /** The PSP's side: the file's rows under the key (or the file's stated fee). */
  readonly pspSide: Readonly<Record<string, unknown>>;
  readonly reason: string;
  readonly moneyAtRisk: MoneyView;
  readonly status: DiscrepancyStatus;
  readonly firstRunId: string;
  readonly lastRunId: string;
  readonly openedAt: string;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolutionNote: string | null;
  /** The automatic fix asked for it; null when none was (a class or case left to a person, or fixes off). */
  readonly fix: DiscrepancyFix | null;
}

export interface DiscrepancyNote {
  readonly id: string;
  readonly discrepancyId: string;
  readonly actor: string;
  readonly note: string;
  readonly createdAt: string;
}

/** A discrepancy with what operators wrote on it, oldest note first. */
export interface DiscrepancyWithNotes extends Discrepancy {
  readonly notes: readonly DiscrepancyNote[];
}

/** `GET /v1/reconciliation/discrepancies` filters; each narrows the list (AND). */
export interface DiscrepancyFilter {
  readonly psp?: string;
  readonly date?: string;
  readonly class?: DiscrepancyClass;
  readonly status?: DiscrepancyStatus;
}

/** What a run found about one key, to be stored (insert, or update of the key's row). */
export interface DiscrepancyDraft {
  readonly class: DiscrepancyClass;
  readonly matchKey: string;
  readonly merchantReference: string | null;
  readonly pspReference: string | null;
  readonly keel: Readonly<Record<string, unknown>> | null;
  readonly pspSide: Readonly<Record<string, unknown>>;
  readonly reason: string;
  readonly moneyAtRiskMinor: bigint;
  readonly currency: string;
}
