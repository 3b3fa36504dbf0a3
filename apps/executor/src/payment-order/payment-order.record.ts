import type { PaymentMethodType } from '@keel/contracts';
import type { PaymentOrderStatus } from '@keel/executor-domain';

/** A payment order as the executor stores it (table payment_orders). */
export interface PaymentOrder {
  readonly paymentOrderId: string;
  readonly paymentId: string;
  readonly merchantId: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly methodType: PaymentMethodType;
  readonly methodProvider?: string;
  readonly instrumentToken?: string;
  /**
   * The platform fee the payment service decided, in minor units of `currency`; published in
   * `succeeded.v2`. Absent for orders requested before fees travelled with the request.
   */
  readonly platformFeeMinor?: bigint;
  readonly status: PaymentOrderStatus;
  /** Why the order is in its status: the last retry or resolution reason. */
  readonly statusReason?: string;
  /** The PSP of the latest attempt; an unknown outcome is always resolved there. */
  readonly pspId?: string;
  readonly pspReference?: string;
  /** Decline or failure code and message once the order is declined or failed. */
  readonly resultCode?: string;
  readonly resultMessage?: string;
  /** Charge attempts made (each with the payment order id as idempotency key). */
  readonly attempts: number;
  readonly inquiries: number;
  readonly nextAttemptAt: Date;
  readonly leaseExpiresAt?: Date;
  /** The instance (KEEL_INSTANCE_ID) whose claim holds the lease; absent without one. */
  readonly leaseHolder?: string;
  readonly traceparent?: string;
  readonly requestedAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly completedAt?: Date;
  /** When the order last entered `unknown`. */
  readonly unknownSince?: Date;
  /** When it was reported unresolved past the deadline (at most once). */
  readonly overdueReportedAt?: Date;
}

export type NewPaymentOrder = Pick<
  PaymentOrder,
  | 'paymentOrderId'
  | 'paymentId'
  | 'merchantId'
  | 'sellerId'
  | 'amountMinor'
  | 'currency'
  | 'methodType'
  | 'methodProvider'
  | 'instrumentToken'
  | 'platformFeeMinor'
  | 'traceparent'
  | 'requestedAt'
>;

export const PAYMENT_ORDER_ATTEMPT_KINDS = ['charge', 'inquiry'] as const;
export type PaymentOrderAttemptKind = (typeof PAYMENT_ORDER_ATTEMPT_KINDS)[number];

/** One call to a PSP for an order (table payment_order_attempts). */
export interface PaymentOrderAttempt {
  readonly id: string;
  readonly kind: PaymentOrderAttemptKind;
  readonly pspId: string;
  readonly reason: string;
  /** What came back (a ChargeResult or InquiryResult kind), `abandoned`, or absent while in flight. */
  readonly outcome?: string;
  readonly pspReference?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  readonly durationMs?: number;
}
