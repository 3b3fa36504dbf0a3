import { DomainError } from '@keel/observability';

export class PaymentOrderNotFoundError extends DomainError {
  constructor(paymentOrderId: string) {
    super({
      code: 'payment_order_not_found',
      status: 404,
      title: 'Payment order not found',
      detail: `No payment order ${paymentOrderId}`,
      extensions: { paymentOrderId },
    });
  }
}
