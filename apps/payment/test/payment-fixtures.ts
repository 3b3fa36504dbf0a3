// Bodies and views for the payment service's integration tests.
import { randomUUID } from 'node:crypto';
import { headerAsString, type IncomingRecord } from '@keel/messaging';

export const PROBLEM_TYPE_BASE = 'https://keel.dev/problems/';

export interface OrderView {
  id: string;
  sellerId: string;
  amount: { amountMinor: string; currency: string };
  status: string;
  failure: { code: string; message: string } | null;
  pspId: string | null;
}

export interface PaymentView {
  id: string;
  checkoutId: string;
  status: string;
  amount: { amountMinor: string; currency: string };
  failure: { code: string; message: string } | null;
  orders: OrderView[];
  history?: {
    occurredAt: string;
    paymentOrderId: string | null;
    status: string;
    reasonCode: string | null;
  }[];
  createdAt: string;
}

export interface PublishedEvent {
  type: string;
  key: string;
  data: Record<string, unknown>;
}

export function decode(record: IncomingRecord): PublishedEvent {
  return {
    type: headerAsString(record.headers['ce_type']) ?? '',
    key: record.key?.toString('utf8') ?? '',
    data: JSON.parse(record.value?.toString('utf8') ?? 'null') as Record<string, unknown>,
  };
}

/** A merchant of its own per test, so tests never see each other's payments. */
export function newMerchant(): string {
  return `merchant-${randomUUID().slice(0, 8)}`;
}

/** A valid body: two orders of two sellers in KRW, paid by card, by a buyer of its own. */
export function paymentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    checkoutId: `checkout-${randomUUID()}`,
    currency: 'KRW',
    buyer: { id: `buyer-${randomUUID().slice(0, 8)}`, email: 'buyer@example.com', country: 'KR' },
    paymentMethod: { type: 'card', token: 'tok_visa_1', issuer: 'shinhan' },
    orders: [
      { sellerId: 'seller-1', amount: 10_000 },
      { sellerId: 'seller-2', amount: 5_000 },
    ],
    ...overrides,
  };
}
