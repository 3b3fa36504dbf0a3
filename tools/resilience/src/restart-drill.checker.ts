import {
  checkInvariants,
  collectFacts,
  factSourcesOf,
  quiescenceSourcesOf,
  waitForQuiescence,
  type ChaosEnvironment,
  type CheckoutRecord,
  type InvariantResult,
  type QuiescenceOutcome,
} from './borrowed-tool-parts';
import { MERCHANT_ID } from './drill';
import type { FinalPayments } from './restart-drill.figures';
import type { DrillCheckout } from '@keel/traffic';

/** How long reading one topic to its end may take (the chaos long profile's). */
const TOPIC_READ_TIMEOUT_MS = 120_000;

export interface DrillCheck {
  readonly quiescence: QuiescenceOutcome;
  readonly invariants: readonly InvariantResult[];
  readonly final: FinalPayments;
  /** Topic records that did not parse against the contracts (a bug too, if any). */
  readonly unparsedRecords: number;
}

/**
 * A drill checkout as the chaos checker reads a client's record: one copy, one attempt. The
 * checker reads the key, the merchant and the checkout id; the rest restates what
 * postDrillPayment sent.
 */
export function checkoutRecordOf(checkout: DrillCheckout): CheckoutRecord {
  const answer = checkout.answer;
  if (answer === undefined) throw new Error('a drill checkout is checked only once it has its answer');
  const paymentId = answer.paymentId;
  return {
    planned: {
      atMs: checkout.sentAtMs,
      merchantId: MERCHANT_ID,
      idempotencyKey: answer.idempotencyKey,
      concurrentCopies: 1,
      body: {
        checkoutId: answer.checkoutId,
        currency: 'KRW',
        buyer: { id: `buyer_${answer.idempotencyKey.slice(0, 12)}`, country: 'KR' },
        paymentMethod: { type: 'card', token: 'tok_approve', issuer: 'shinhan' },
        orders: [{ sellerId: 'seller_resilience', amount: 10_000 }],
      },
    },
    attempts: [
      {
        copy: 1,
        attempt: 1,
        startedAtMs: checkout.sentAtMs,
        latencyMs: answer.answeredAtMs - checkout.sentAtMs,
        status: answer.httpStatus ?? 'network_error',
        ...(paymentId === undefined ? {} : { paymentId }),
      },
    ],
    ...(paymentId === undefined ? {} : { paymentId }),
  };
}

/**
 * What the chaos run does after its faults: wait (bounded) until the system is quiescent, then
 * check invariants I1–I8 against psp-sim, every service's API and the topics, with the same code.
 */
export async function checkDrill(
  environment: ChaosEnvironment,
  checkouts: readonly DrillCheckout[],
  faultsEndedAtMs: number,
  limits: { readonly quiescenceTimeoutMs: number; readonly terminalBoundMs: number },
): Promise<DrillCheck> {
  const records = checkouts.map(checkoutRecordOf);
  const quiescence = await waitForQuiescence(
    quiescenceSourcesOf(environment),
    records,
    limits.quiescenceTimeoutMs,
  );
  const facts = await collectFacts(
    factSourcesOf(environment, TOPIC_READ_TIMEOUT_MS),
    records,
    faultsEndedAtMs,
  );
  return {
    quiescence,
    invariants: checkInvariants(facts, { terminalBoundMs: limits.terminalBoundMs }),
    final: {
      statusById: new Map(facts.payments.map((payment) => [payment.id, payment.status])),
      heldCheckoutIds: new Set(facts.payments.map((payment) => payment.checkoutId)),
    },
    unparsedRecords: facts.unparsedRecords,
  };
}
