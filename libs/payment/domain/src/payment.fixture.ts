// Builders for the domain's unit tests: a payment of two orders by default, and commands that
// play the executor, wallet and ledger.
import type { PaymentCommand, RequestPayment } from './payment.command';
import { decide } from './payment.decide';
import { PaymentError, type PaymentErrorCode } from './payment.error';
import type { PaymentEvent } from './payment.event';
import { evolve } from './payment.evolve';
import type { PaymentState } from './payment.state';
import { RISK_APPROVED } from './risk/risk-reason';

export const AT = '2026-01-02T03:04:05.000Z';
export const LATER = '2026-01-02T03:05:00.000Z';

export function requestPayment(overrides: Partial<RequestPayment> = {}): RequestPayment {
  return {
    kind: 'RequestPayment',
    occurredAt: AT,
    paymentId: 'pay_1',
    merchantId: 'merchant-1',
    checkoutId: 'checkout-1',
    buyer: { id: 'buyer-1', country: 'KR' },
    paymentMethod: { type: 'card', issuer: 'shinhan', token: 'tok_1' },
    currency: 'KRW',
    orders: [
      { paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 10_000n },
      { paymentOrderId: 'po_2', sellerId: 'seller-2', amountMinor: 5_000n },
    ],
    risk: RISK_APPROVED,
    ...overrides,
  };
}

const SELLER_OF: Record<string, string> = { po_1: 'seller-1', po_2: 'seller-2' };
const AMOUNT_OF: Record<string, bigint> = { po_1: 10_000n, po_2: 5_000n };

export function succeeded(paymentOrderId: string, pspReference = `ref-${paymentOrderId}`): PaymentCommand {
  return {
    kind: 'RecordOrderSucceeded',
    occurredAt: LATER,
    paymentOrderId,
    sellerId: SELLER_OF[paymentOrderId] ?? 'seller-x',
    amountMinor: AMOUNT_OF[paymentOrderId] ?? 1n,
    currency: 'KRW',
    pspId: 'psp-a',
    pspReference,
  };
}

export function declined(paymentOrderId: string, code = 'insufficient_funds'): PaymentCommand {
  return { kind: 'RecordOrderDeclined', occurredAt: LATER, paymentOrderId, code, message: 'Declined.' };
}

export function failed(paymentOrderId: string, code = 'psp_unavailable'): PaymentCommand {
  return { kind: 'RecordOrderFailed', occurredAt: LATER, paymentOrderId, code, message: 'Failed.' };
}

export function walletCredited(paymentOrderId: string): PaymentCommand {
  return {
    kind: 'RecordWalletCredit',
    occurredAt: LATER,
    paymentOrderId,
    sellerId: SELLER_OF[paymentOrderId] ?? 'seller-x',
    amountMinor: AMOUNT_OF[paymentOrderId] ?? 1n,
    currency: 'KRW',
  };
}

export function ledgerRecorded(
  paymentOrderId: string,
  ledgerTransactionId = `ltx-${paymentOrderId}`,
): PaymentCommand {
  return { kind: 'RecordLedgerTransaction', occurredAt: LATER, paymentOrderId, ledgerTransactionId };
}

export interface Run {
  readonly state: PaymentState | undefined;
  readonly events: readonly PaymentEvent[];
  /** Events of the last command only. */
  readonly last: readonly PaymentEvent[];
}

/** Decides and folds each command in turn, as the service does. */
export function run(commands: readonly PaymentCommand[], start?: Run): Run {
  let state = start?.state;
  let events = [...(start?.events ?? [])];
  let last: PaymentEvent[] = [];
  for (const command of commands) {
    last = decide(state, command);
    state = last.reduce<PaymentState | undefined>(evolve, state);
    events = [...events, ...last];
  }
  return { state, events, last };
}

/** The code of the PaymentError `action` throws, or undefined when it throws none; other errors are thrown on. */
export function errorCodeOf(action: () => unknown): PaymentErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof PaymentError) return error.code;
    throw error;
  }
  return undefined;
}

export function typesOf(events: readonly PaymentEvent[]): string[] {
  return events.map((event) => event.type);
}
