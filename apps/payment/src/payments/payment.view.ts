/**
 * A payment as the API shows it: what GET answers and what a create stores for replay. The HTTP
 * surface documents the same shapes (http/payment-response.dto.ts implements each).
 */
export interface MoneyView {
  /** Integer minor units as a decimal string (bigint-safe). */
  readonly amountMinor: string;
  readonly currency: string;
}

export interface FailureView {
  readonly code: string;
  readonly message: string;
}

export interface PaymentOrderView {
  readonly id: string;
  readonly sellerId: string;
  readonly amount: MoneyView;
  readonly status: string;
  readonly failure: FailureView | null;
  readonly pspId: string | null;
  readonly pspReference: string | null;
  readonly walletCreditedAt: string | null;
  readonly ledgerRecordedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StatusChangeView {
  readonly occurredAt: string;
  readonly paymentOrderId: string | null;
  readonly status: string;
  readonly reasonCode: string | null;
}

/** A payment in a list: everything but the history. */
export interface PaymentSummaryView {
  readonly id: string;
  readonly checkoutId: string;
  readonly status: string;
  readonly amount: MoneyView;
  readonly buyer: { readonly id: string; readonly email: string | null; readonly country: string | null };
  readonly paymentMethod: { readonly type: string; readonly provider: string };
  readonly failure: FailureView | null;
  readonly orders: readonly PaymentOrderView[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One payment with every status change. */
export interface PaymentView extends PaymentSummaryView {
  readonly history: readonly StatusChangeView[];
}

export interface PaymentPageView {
  readonly data: readonly PaymentSummaryView[];
  readonly nextCursor: string | null;
}
