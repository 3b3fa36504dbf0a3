import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isTerminalPaymentOrderStatus } from '@keel/executor-domain';
import { PaymentOrderNotFoundError } from '../executor.errors';
import { PaymentOrderAttemptRepository } from './payment-order-attempt.repository';
import type { PaymentOrder, PaymentOrderAttempt } from './payment-order.record';
import { PaymentOrderRepository } from './payment-order.repository';
import type { PaymentOrderAttemptView, PaymentOrderView } from './payment-order.dto';

/** Attempts returned with an order: retries are bounded, so this is every attempt in practice. */
export const ATTEMPTS_IN_VIEW_MAX = 100;

function attemptViewOf(attempt: PaymentOrderAttempt): PaymentOrderAttemptView {
  return {
    kind: attempt.kind,
    pspId: attempt.pspId,
    reason: attempt.reason,
    outcome: attempt.outcome,
    pspReference: attempt.pspReference,
    errorCode: attempt.errorCode,
    errorMessage: attempt.errorMessage,
    startedAt: attempt.startedAt.toISOString(),
    finishedAt: attempt.finishedAt?.toISOString(),
    durationMs: attempt.durationMs,
  };
}

function viewOf(order: PaymentOrder, attempts: readonly PaymentOrderAttempt[]): PaymentOrderView {
  return {
    paymentOrderId: order.paymentOrderId,
    paymentId: order.paymentId,
    merchantId: order.merchantId,
    sellerId: order.sellerId,
    amount: { amountMinor: order.amountMinor.toString(), currency: order.currency },
    paymentMethod: { type: order.methodType, provider: order.methodProvider },
    status: order.status,
    statusReason: order.statusReason,
    pspId: order.pspId,
    pspReference: order.pspReference,
    result:
      order.resultCode === undefined
        ? undefined
        : { code: order.resultCode, message: order.resultMessage ?? '' },
    attemptCount: order.attempts,
    inquiryCount: order.inquiries,
    nextAttemptAt: isTerminalPaymentOrderStatus(order.status) ? undefined : order.nextAttemptAt.toISOString(),
    requestedAt: order.requestedAt.toISOString(),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    completedAt: order.completedAt?.toISOString(),
    attempts: attempts.map(attemptViewOf),
  };
}

/** Reads payment orders for operators and tests. */
@Injectable()
export class PaymentOrderQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: PaymentOrderRepository,
    private readonly attempts: PaymentOrderAttemptRepository,
  ) {}

  async get(paymentOrderId: string): Promise<PaymentOrderView> {
    const manager = this.dataSource.manager;
    const order = await this.orders.findById(manager, paymentOrderId);
    if (order === undefined) throw new PaymentOrderNotFoundError(paymentOrderId);
    return viewOf(order, await this.attempts.listForOrder(manager, paymentOrderId, ATTEMPTS_IN_VIEW_MAX));
  }
}
