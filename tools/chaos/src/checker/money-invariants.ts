import type {
  AccountBalance,
  ChaosFacts,
  LedgerTransaction,
  SimulatorCharge,
  WalletCredit,
} from './chaos-facts';
import { invariantResult, type InvariantResult } from './invariant-result';

/** The ledger's transaction kinds (libs/ledger/domain) the checker counts. */
const CHARGE_TRANSACTION_KIND = 'payment_order_charge';
const ORPHAN_REFUND_TRANSACTION_KIND = 'orphan_charge_refund';

/** A charge that took money at some point: approved now, or approved and refunded since. */
export function isSuccessfulCharge(charge: SimulatorCharge): boolean {
  return charge.status === 'approved' || BigInt(charge.refundedAmountMinor) > 0n;
}

function countBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

function distinctBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item] as const)).values()];
}

function succeededOrderPsps(facts: ChaosFacts): Map<string, string | null> {
  const orders = facts.payments.flatMap((payment) => payment.orders);
  return new Map(
    orders.filter((order) => order.status === 'succeeded').map((order) => [order.id, order.pspId]),
  );
}

export function checkSingleCharge(facts: ChaosFacts): InvariantResult {
  const successful = facts.simulatorCharges.filter(isSuccessfulCharge);
  const perOrder = countBy(successful, (charge) => charge.idempotencyKey);
  const offending = [...perOrder].filter(([, count]) => count > 1).map(([orderId]) => orderId);
  return invariantResult(
    'I1',
    'at most one successful PSP charge per payment order, across all PSPs',
    new Set(facts.simulatorCharges.map((charge) => charge.idempotencyKey)).size,
    offending,
    `${offending.length} orders charged more than once at psp-sim`,
  );
}

function chargeTransactionsPerOrder(transactions: readonly LedgerTransaction[]): Map<string, number> {
  const charges = distinctBy(transactions, (transaction) => transaction.eventId).filter(
    (transaction) => transaction.kind === CHARGE_TRANSACTION_KIND,
  );
  return countBy(
    distinctBy(charges, (transaction) => transaction.transactionId),
    (transaction) => transaction.paymentOrderId,
  );
}

function creditsPerOrder(credits: readonly WalletCredit[]): Map<string, number> {
  return countBy(
    distinctBy(credits, (credit) => credit.eventId),
    (credit) => credit.paymentOrderId,
  );
}

export function checkCreditedAndPostedOnce(facts: ChaosFacts): InvariantResult {
  const succeeded = succeededOrderPsps(facts);
  const credits = creditsPerOrder(facts.walletCredits);
  const postings = chargeTransactionsPerOrder(facts.ledgerTransactions);
  const offending = [...succeeded.keys()].filter(
    (orderId) => credits.get(orderId) !== 1 || postings.get(orderId) !== 1,
  );
  const notSucceeded = [...credits.keys(), ...postings.keys()].filter((orderId) => !succeeded.has(orderId));
  return invariantResult(
    'I2',
    'every succeeded order credited to the wallet once and posted to the ledger once',
    succeeded.size,
    [...offending, ...notSucceeded],
    `${offending.length} succeeded orders without exactly one wallet credit and one ledger charge; ` +
      `${new Set(notSucceeded).size} credited or posted orders that did not succeed`,
  );
}

/** Successful charges Keel does not count as an order's charge: its order did not succeed there. */
function orphanCharges(facts: ChaosFacts): SimulatorCharge[] {
  const succeeded = succeededOrderPsps(facts);
  const detected = new Set(facts.orphanDetections.map((event) => `${event.pspId}/${event.paymentOrderId}`));
  return facts.simulatorCharges.filter(
    (charge) =>
      isSuccessfulCharge(charge) &&
      (succeeded.get(charge.idempotencyKey) !== charge.psp ||
        detected.has(`${charge.psp}/${charge.idempotencyKey}`)),
  );
}

export function checkOrphansRefunded(facts: ChaosFacts): InvariantResult {
  const orphans = orphanCharges(facts);
  const refundsInLedger = new Set(
    facts.ledgerTransactions
      .filter((transaction) => transaction.kind === ORPHAN_REFUND_TRANSACTION_KIND)
      .map((transaction) => transaction.paymentOrderId),
  );
  const notRefunded = orphans.filter((charge) => charge.refundedAmountMinor !== charge.amountMinor);
  const notInLedger = orphans.filter((charge) => !refundsInLedger.has(charge.idempotencyKey));
  const charged = new Set(
    facts.simulatorCharges.filter(isSuccessfulCharge).map((c) => `${c.psp}/${c.idempotencyKey}`),
  );
  const detectedWithoutCharge = facts.orphanDetections.filter(
    (event) => !charged.has(`${event.pspId}/${event.paymentOrderId}`),
  );
  return invariantResult(
    'I3',
    'every orphan charge refunded at the PSP and the refund in the ledger',
    orphans.length,
    [...notRefunded, ...notInLedger]
      .map((charge) => charge.idempotencyKey)
      .concat(detectedWithoutCharge.map((event) => event.paymentOrderId)),
    `${notRefunded.length} orphan charges not refunded in full at the PSP, ${notInLedger.length} without ` +
      `an ${ORPHAN_REFUND_TRANSACTION_KIND} transaction, ${detectedWithoutCharge.length} detections without a charge`,
  );
}

/** Debits minus credits per currency; a balanced transaction has only zeros. */
function netPerCurrency(transaction: LedgerTransaction): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const posting of transaction.postings) {
    const signed = posting.direction === 'debit' ? BigInt(posting.amountMinor) : -BigInt(posting.amountMinor);
    net.set(posting.currency, (net.get(posting.currency) ?? 0n) + signed);
  }
  return net;
}

export function checkLedgerBalanced(facts: ChaosFacts): InvariantResult {
  const transactions = distinctBy(facts.ledgerTransactions, (transaction) => transaction.eventId);
  const unbalanced = transactions.filter((transaction) =>
    [...netPerCurrency(transaction).values()].some((net) => net !== 0n),
  );
  const { ledgerSelfCheck: self } = facts;
  const trial = self.trialBalanced
    ? []
    : self.unbalancedCurrencies.map((currency) => `trial-balance:${currency}`);
  return invariantResult(
    'I4',
    'every ledger transaction sums to zero per currency; trial balance and balance check clean',
    transactions.length,
    [...unbalanced.map((transaction) => transaction.transactionId), ...trial, ...self.mismatchedAccountIds],
    `${unbalanced.length} unbalanced transactions, trial balance ${self.trialBalanced ? 'balanced' : 'unbalanced'}, ` +
      `${self.mismatchedAccountIds.length} accounts whose running balance differs from their postings`,
  );
}

/** Balances summed per owner (a seller with its merchant, or a PSP) and currency. */
function balanceMap(balances: readonly AccountBalance[]): Map<string, bigint> {
  const map = new Map<string, bigint>();
  for (const balance of balances) {
    const owner = balance.merchantId === undefined ? balance.owner : `${balance.merchantId}/${balance.owner}`;
    const key = `${owner}:${balance.currency}`;
    map.set(key, (map.get(key) ?? 0n) + BigInt(balance.balanceMinor));
  }
  return map;
}

/** Keys where two balance sheets differ, a missing entry reading as zero. */
function differingKeys(left: Map<string, bigint>, right: Map<string, bigint>): string[] {
  const keys = new Set([...left.keys(), ...right.keys()]);
  return [...keys].filter((key) => (left.get(key) ?? 0n) !== (right.get(key) ?? 0n));
}

function differenceDetail(
  left: Map<string, bigint>,
  right: Map<string, bigint>,
  keys: readonly string[],
): string {
  return keys
    .slice(0, 5)
    .map((key) => `${key} ${left.get(key) ?? 0n} vs ${right.get(key) ?? 0n}`)
    .join('; ');
}

export function checkWalletMatchesLedger(facts: ChaosFacts): InvariantResult {
  const wallets = balanceMap(facts.walletBalances);
  const payables = balanceMap(facts.sellerPayables);
  const offending = differingKeys(wallets, payables);
  return invariantResult(
    'I5',
    "each merchant's seller's wallet balance equals the ledger's seller payable",
    new Set([...wallets.keys(), ...payables.keys()]).size,
    offending,
    `wallet vs ledger: ${differenceDetail(wallets, payables, offending)}`,
  );
}

/** psp-sim's truth: what each PSP holds for us, captured minus refunded, per currency. */
export function pspTruth(charges: readonly SimulatorCharge[]): AccountBalance[] {
  return charges.filter(isSuccessfulCharge).map((charge) => ({
    owner: charge.psp,
    currency: charge.currency,
    balanceMinor: (BigInt(charge.amountMinor) - BigInt(charge.refundedAmountMinor)).toString(),
  }));
}

export function checkPspTruthMatchesClearing(facts: ChaosFacts): InvariantResult {
  const truth = balanceMap(pspTruth(facts.simulatorCharges));
  const clearing = balanceMap(facts.pspClearings);
  const offending = differingKeys(truth, clearing);
  const unexplained = unexplainedByReconciliation(facts.reconciliation);
  return invariantResult(
    'I6',
    "PSP truth (captured − refunded) equals the ledger's PSP clearing balances, and reconciliation of the run's days reports no unexplained difference",
    new Set([...truth.keys(), ...clearing.keys()]).size + facts.reconciliation.runs.length,
    [...offending, ...unexplained.map((entry) => entry.id)],
    [
      `psp-sim vs ledger: ${differenceDetail(truth, clearing, offending)}`,
      `reconciliation: ${facts.reconciliation.runs.length} runs; ${
        unexplained.length === 0
          ? 'no unexplained difference'
          : unexplained.map((entry) => entry.why).join('; ')
      }`,
    ].join('; '),
  );
}

/**
 * What reconciliation's runs leave unexplained: a run that failed or ran on a lagging view, an open
 * discrepancy of any class (a late row is `timing` and an orphan refunded on both sides `matched`:
 * neither is one), a wallet leg that disagrees, a PSP clearing day that differs with no late row to
 * explain it. Chaos injects PSP faults, not settlement faults: a chaos day has none of these.
 */
export function unexplainedByReconciliation(
  reconciliation: ChaosFacts['reconciliation'],
): { id: string; why: string }[] {
  const unexplained: { id: string; why: string }[] = [];
  for (const run of reconciliation.runs) {
    const day = `recon:${run.psp}:${run.date}`;
    if (run.status !== 'completed') {
      unexplained.push({ id: day, why: `${day} failed (${run.problem ?? 'no problem given'})` });
      continue;
    }
    if (run.walletsLagging) unexplained.push({ id: day, why: `${day} ran on a view that had not caught up` });
    else if (!run.walletsAgree)
      unexplained.push({ id: day, why: `${day}: the wallets and seller payables differ` });
    for (const currency of run.clearingUnexplained) {
      unexplained.push({
        id: `${day}:${currency}`,
        why: `${day}: ${currency} clearing differs from the file`,
      });
    }
  }
  for (const open of reconciliation.openDiscrepancies) {
    unexplained.push({
      id: `recon:${open.psp}:${open.date}:${open.class}:${open.matchKey}`,
      why: `open ${open.class} ${open.matchKey} (${open.reason})`,
    });
  }
  return unexplained;
}
