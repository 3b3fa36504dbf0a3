import { DomainError } from '@keel/observability';

/** Unsigned, forged or stale: the sender is not the PSP, or not now. Nothing was changed. */
export class PspWebhookRejectedError extends DomainError {
  constructor(pspId: string) {
    super({
      code: 'webhook_signature_invalid',
      status: 401,
      title: 'Webhook signature invalid',
      detail: `The notification is not signed by ${pspId} within the tolerance window`,
    });
  }
}

/** Signed by the PSP but unreadable: answered 400 so the PSP keeps it, and logged as an error. */
export class PspWebhookMalformedError extends DomainError {
  constructor(pspId: string) {
    super({
      code: 'webhook_malformed',
      status: 400,
      title: 'Webhook payload malformed',
      detail: `The notification from ${pspId} could not be read`,
    });
  }
}

export class PspWebhookUnknownPspError extends DomainError {
  constructor(pspId: string) {
    super({
      code: 'psp_not_found',
      status: 404,
      title: 'PSP not found',
      detail: `No PSP ${pspId} is configured`,
    });
  }
}

/** The body could not be read (too large, or the connection dropped). */
export class PspWebhookBodyError extends DomainError {
  constructor(status: 400 | 413, detail: string) {
    super({
      code: status === 413 ? 'payload_too_large' : 'webhook_body_unreadable',
      status,
      title: 'Webhook body not read',
      detail,
    });
  }
}

/** Verified, but its batch could not be committed: answered 503, so the PSP sends it again. */
export class PspWebhookNotRecordedError extends DomainError {
  constructor(pspId: string, cause: unknown) {
    super({
      code: 'webhook_not_recorded',
      status: 503,
      title: 'Webhook not recorded',
      detail: `The notification from ${pspId} could not be recorded; send it again later`,
      cause,
    });
  }
}

/** More verified webhooks wait for a batch than EXECUTOR_WEBHOOK_QUEUE_MAX: nothing recorded. */
export class PspWebhookQueueFullError extends DomainError {
  constructor(pspId: string) {
    super({
      code: 'webhook_queue_full',
      status: 503,
      title: 'Webhook not accepted now',
      detail: `Too many notifications are waiting to be recorded; send the one from ${pspId} again later`,
    });
  }
}

/** GET /v1/payment-orders/:id names no payment order. */
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

/** PUT /v1/routes with a table the routing cannot use; the table in force is kept. */
export class InvalidRoutesError extends DomainError {
  constructor(detail: string) {
    super({ code: 'invalid_routes', status: 422, title: 'Invalid routing table', detail });
  }
}
