import { EVENT_TYPES } from '@keel/contracts';
import type { PaymentOutcome } from './pipeline-observer';

/** Wallet credits and ledger transactions per payment order of completed payments (I2: each exactly once). */
export interface EffectCounts {
  readonly orders: number;
  readonly walletOnce: number;
  readonly walletMissing: number;
  readonly walletMoreThanOnce: number;
  readonly ledgerOnce: number;
  readonly ledgerMissing: number;
  readonly ledgerMoreThanOnce: number;
}

export function effectCounts(
  paymentIds: readonly string[],
  outcomes: ReadonlyMap<string, PaymentOutcome>,
  walletCredits: ReadonlyMap<string, ReadonlySet<string>>,
  ledgerTransactions: ReadonlyMap<string, ReadonlySet<string>>,
): EffectCounts {
  const orderIds = paymentIds
    .map((paymentId) => outcomes.get(paymentId))
    .filter((outcome) => outcome?.type === EVENT_TYPES.paymentCompleted)
    .flatMap((outcome) => outcome?.paymentOrderIds ?? []);
  const count = (index: ReadonlyMap<string, ReadonlySet<string>>, orderId: string) =>
    index.get(orderId)?.size ?? 0;
  const tally = (index: ReadonlyMap<string, ReadonlySet<string>>, matches: (count: number) => boolean) =>
    orderIds.filter((orderId) => matches(count(index, orderId))).length;
  return {
    orders: orderIds.length,
    walletOnce: tally(walletCredits, (seen) => seen === 1),
    walletMissing: tally(walletCredits, (seen) => seen === 0),
    walletMoreThanOnce: tally(walletCredits, (seen) => seen > 1),
    ledgerOnce: tally(ledgerTransactions, (seen) => seen === 1),
    ledgerMissing: tally(ledgerTransactions, (seen) => seen === 0),
    ledgerMoreThanOnce: tally(ledgerTransactions, (seen) => seen > 1),
  };
}
