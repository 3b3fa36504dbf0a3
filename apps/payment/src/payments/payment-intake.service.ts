import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxPublisher } from '@keel/messaging';
import {
  OBSERVABILITY_LOGGER,
  ValidationFailedException,
  type FieldError,
  type Logger,
} from '@keel/observability';
import {
  assertValidIntake,
  assessRisk,
  instrumentTokenOf,
  PaymentError,
  PaymentErrorCode,
  type PaymentOrderLine,
  type RequestPayment,
  type RiskSettings,
} from '@keel/payment-domain';
import type { CreatePaymentDto } from '../http/create-payment.dto';
import { paymentMethodOf } from '../http/payment-method.dto';
import { PaymentProblem, PaymentProblemCode } from '../http/payment.problem';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { KeyScope, StoredResponse } from '../idempotency/idempotency.repository';
import { PAYMENT_ENVIRONMENT, RISK_SETTINGS } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import { integrationEventsOf } from './payment-integration-events.util';
import { newId } from './payment-ids.util';
import { PaymentProjectionRepository } from './payment-projection.repository';
import { PaymentQueryService } from './payment-query.service';
import { PaymentStore } from './payment-store.service';
import { violatedUniqueConstraint } from './unique-violation.util';
import { MethodAvailabilityService } from '../availability/method-availability.service';
import { AdmissionService } from '../admission/admission.service';

const CHECKOUT_CONSTRAINT = 'payments_merchant_id_checkout_id_key';

/** An HTTP answer as sent and as stored for replay. */
export interface PaymentReply extends StoredResponse {
  readonly replayed: boolean;
}

/**
 * POST /v1/payments: checks what the schema cannot, passes admission control (load shedding),
 * claims the Idempotency-Key, then in ONE
 * transaction runs the risk check, stores the payment's events and projections, publishes its
 * events through the outbox and stores the response for replay. Payments complete
 * asynchronously, so the answer is 202 Accepted.
 */
@Injectable()
export class PaymentIntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admission: AdmissionService,
    private readonly availability: MethodAvailabilityService,
    private readonly idempotency: IdempotencyService,
    private readonly store: PaymentStore,
    private readonly projections: PaymentProjectionRepository,
    private readonly queries: PaymentQueryService,
    private readonly outbox: OutboxPublisher,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
    @Inject(RISK_SETTINGS) private readonly riskSettings: RiskSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async create(scope: KeyScope, requestHash: string, body: CreatePaymentDto): Promise<PaymentReply> {
    this.assertOrderRules(body);
    const admission = await this.admission.admit(scope, requestHash);
    if (admission.kind === 'replay') return { ...admission.response, replayed: true };
    try {
      return await this.createAdmitted(scope, requestHash, body);
    } finally {
      admission.release();
    }
  }

  private async createAdmitted(
    scope: KeyScope,
    requestHash: string,
    body: CreatePaymentDto,
  ): Promise<PaymentReply> {
    await this.availability.assertAvailable(body.paymentMethod.type);
    const claim = await this.idempotency.claim(scope, requestHash);
    if (claim.kind === 'replay') return { ...claim.response, replayed: true };
    try {
      return await this.dataSource.transaction(async (manager) => {
        const response = await this.accept(manager, scope.merchantId, body);
        await this.idempotency.complete(manager, scope, claim.claimToken, response);
        return { ...response, replayed: false };
      });
    } catch (error) {
      // Nothing was created, so the key is free again: a retry is evaluated afresh.
      await this.idempotency.release(scope, claim.claimToken);
      throw problemOf(error);
    }
  }

  /** Rules the DTO cannot state: the configured order limit and one order per seller. */
  private assertOrderRules(body: CreatePaymentDto): void {
    const errors: FieldError[] = [];
    const maxOrders = this.environment.MAX_ORDERS_PER_PAYMENT;
    if (body.orders.length > maxOrders) {
      errors.push({ field: 'orders', message: `orders must contain no more than ${maxOrders} elements` });
    }
    const seen = new Set<string>();
    body.orders.forEach((order, index) => {
      if (seen.has(order.sellerId)) {
        errors.push({ field: `orders.${index}.sellerId`, message: 'a payment holds one order per seller' });
      }
      seen.add(order.sellerId);
    });
    if (errors.length > 0) throw new ValidationFailedException(errors);
  }

  private async accept(
    manager: EntityManager,
    merchantId: string,
    body: CreatePaymentDto,
  ): Promise<StoredResponse> {
    const { buyer } = body;
    await this.projections.lockBuyer(manager, merchantId, buyer.id);
    if (await this.projections.checkoutExists(manager, merchantId, body.checkoutId))
      throw checkoutExists(body);
    const paymentId = newId('pay');
    const orders: PaymentOrderLine[] = body.orders.map((order) => ({
      paymentOrderId: newId('po'),
      sellerId: order.sellerId,
      amountMinor: BigInt(order.amount),
    }));
    const paymentMethod = paymentMethodOf(body.paymentMethod);
    const since = new Date(Date.now() - this.riskSettings.velocity.windowMs);
    const risk = assessRisk(
      {
        buyerId: buyer.id,
        ...(buyer.country === undefined ? {} : { buyerCountry: buyer.country.toUpperCase() }),
        instrumentToken: instrumentTokenOf(paymentMethod),
        currency: body.currency,
        amountMinor: assertValidIntake(body.currency, orders),
        recentPaymentsOfBuyer: await this.projections.countBuyerPaymentsSince(
          manager,
          merchantId,
          buyer.id,
          since,
        ),
      },
      this.riskSettings,
    );
    const command: RequestPayment = {
      kind: 'RequestPayment',
      occurredAt: new Date().toISOString(),
      paymentId,
      merchantId,
      checkoutId: body.checkoutId,
      buyer: {
        id: buyer.id,
        ...(buyer.email === undefined ? {} : { email: buyer.email }),
        ...(buyer.country === undefined ? {} : { country: buyer.country.toUpperCase() }),
      },
      paymentMethod,
      currency: body.currency,
      orders,
      risk,
    };
    const decision = await this.store.execute(manager, paymentId, command);
    if (decision.after === undefined) throw new Error(`payment ${paymentId} was not created`);
    await this.outbox.publish(manager, integrationEventsOf(decision.after, decision.events));
    this.logger.info(
      {
        paymentId,
        merchantId,
        status: decision.after.status,
        ...(risk.approved ? {} : { riskReason: risk.reason }),
      },
      'payment accepted',
    );
    const view = await this.queries.get(merchantId, paymentId, manager);
    return { status: 202, headers: { Location: `/v1/payments/${paymentId}` }, body: JSON.stringify(view) };
  }
}

function checkoutExists(body: CreatePaymentDto): PaymentProblem {
  return new PaymentProblem(
    PaymentProblemCode.CheckoutAlreadyExists,
    `A payment for checkout ${body.checkoutId} already exists.`,
    { checkoutId: body.checkoutId },
  );
}

/** Business refusals become problems; anything else stays an error (500). */
function problemOf(error: unknown): unknown {
  if (violatedUniqueConstraint(error) === CHECKOUT_CONSTRAINT) {
    return new PaymentProblem(
      PaymentProblemCode.CheckoutAlreadyExists,
      'A payment for this checkout already exists.',
    );
  }
  if (error instanceof PaymentError && error.code === PaymentErrorCode.InvalidPayment) {
    return new PaymentProblem(PaymentProblemCode.InvalidPayment, error.message);
  }
  return error;
}
