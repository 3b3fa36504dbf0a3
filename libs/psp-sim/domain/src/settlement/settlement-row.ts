import type { CurrencyCode } from '@keel/money';

export const SETTLEMENT_ROW_KINDS = ['charge', 'refund'] as const;
export type SettlementRowKind = (typeof SETTLEMENT_ROW_KINDS)[number];

/** One money movement as a settlement file reports it (docs/settlement-files.md). */
export interface SettlementRow {
  readonly kind: SettlementRowKind;
  /** The PSP's id of the charge (a refund row names the charge it refunds). */
  readonly pspReference: string;
  /** The merchant's order reference: the idempotency key Keel sent, its payment order id. */
  readonly merchantReference: string;
  /** What makes the row unique in the PSP's books: the charge id, or the refund's own id. */
  readonly movementId: string;
  /** Positive; the kind says the direction. */
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  /** The PSP's fee on a charge; 0 on a refund. */
  readonly feeMinor: bigint;
  /** When the capture or refund happened. */
  readonly eventAtMs: number;
}
