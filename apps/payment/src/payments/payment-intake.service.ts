import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { platformFeeOf, type FeePolicy } from '@keel/fees';
import { OutboxPublisher } from '@keel/messaging';
import { isCurrencyCode, Money } from '@keel/money';
import {
  OBSERVABILITY_LOGGER,
  ValidationFailedException,
  type FieldError,
  type Logger,
} from '@keel/observability';
import {
  assertValidIntake,
  assessRisk,
  decideNewPayment,
  instrumentTokenOf,
  PaymentError,
  PaymentErrorCode,
  providerOf,
  type Buyer,
  type PaymentMethod,
  type PaymentMethodType,
  type PaymentOrderLine,
  type RequestPayment,
  type RiskSettings,
} from '@keel/payment-domain';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { KeyScope, StoredResponse } from '../idempotency/idempotency.repository';
import { FEE_POLICY, PAYMENT_ENVIRONMENT, RISK_SETTINGS } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import { MethodAvailabilityService } from '../availability/method-availability.service';
import { MethodStatusService } from '../availability/method-status.service';
import { AdmissionService } from '../admission/admission.service';
import { integrationEventsOf } from './payment-integration-events.util';
import { newId } from './payment-ids.util';
import { PaymentIntakeRepository } from './payment-intake.repository';
import { buyerLockKey, PaymentProjectionRepository } from './payment-projection.repository';
import { paymentRecordOf } from './payment-record.util';
import { detailViewOf } from './payment-view.util';
import { violatedUniqueConstraint } from './unique-violation.util';

const CHECKOUT_CONSTRAINT = 'payments_merchant_id_checkout_id_key';

/** A create request as the HTTP surface hands it over: validated, its method in the domain's words. */
export interface CreatePaymentRequest {
  readonly checkoutId: string;
  readonly currency: string;
  readonly buyer: Buyer;
  readonly paymentMethod: PaymentMethod;
  readonly orders: readonly { readonly sellerId: string; readonly amount: number }[];
}

/** An HTTP answer as sent and as stored for replay. */
export interface PaymentReply extends StoredResponse {
  readonly replayed: boolean;
}

/** The request as a command, waiting for the risk verdict that needs the buyer's history. */
interface UnassessedRequest {
  readonly command: Omit<RequestPayment, 'risk'>;
  readonly amountMinor: bigint;
}

/**
 * POST /v1/payments: checks what the schema cannot, passes admission control (load shedding) and
 * method availability (both from memory), then does everything in ONE transaction: claims the
 * Idempotency-Key (which also takes the buyer's lock), reads the buyer's recent payments for the
 * velocity rule, decides the new payment, stores its events, projections, stored answer and outbox
 * rows in one statement, and commits once. The answer is built from the decided
 * state. Payments complete asynchronously, so the answer is 202 Accepted.
 */
@Injectable()
export class PaymentIntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admission: AdmissionService,
    private readonly availability: MethodAvailabilityService,
    private readonly methodStatus: MethodStatusService,
    private readonly idempotency: IdempotencyService,
    private readonly intake: PaymentIntakeRepository,
    private readonly projections: PaymentProjectionRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
    @Inject(RISK_SETTINGS) private readonly riskSettings: RiskSettings,
    @Inject(FEE_POLICY) private readonly feePolicy: FeePolicy,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async create(scope: KeyScope, requestHash: string, body: CreatePaymentRequest): Promise<PaymentReply> {
    this.assertOrderRules(body);
    const admission = await this.admission.admit(scope, requestHash);
    if (admission.kind === 'replay') return { ...admission.response, replayed: true };
    try {
      this.availability.assertAvailable(body.paymentMethod.type);
      this.methodStatus.assertPayable(
        body.paymentMethod.type,
        providerOf(body.paymentMethod),
        body.currency,
        // A checkout has one payment: its retries, under any Idempotency-Key, get the same answer.
        `${scope.merchantId}/${body.checkoutId}`,
      );
      const request = requestOf(scope.merchantId, body, this.feePolicy);
      return await this.dataSource.transaction((manager) =>
        this.accept(manager, scope, requestHash, request),
      );
    } catch (error) {
      throw problemOf(error, body);
    } finally {
      admission.release();
    }
  }

  /** Rules the DTO cannot state: the configured order limit and one order per seller. */
  private assertOrderRules(body: CreatePaymentRequest): void {
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
    scope: KeyScope,
    requestHash: string,
    request: UnassessedRequest,
  ): Promise<PaymentReply> {
    const { command, amountMinor } = request;
    const { merchantId, buyer } = command;
    const claim = await this.idempotency.claim(
      manager,
      scope,
      requestHash,
      buyerLockKey(merchantId, buyer.id),
    );
    if (claim.kind === 'replay') return { ...claim.response, replayed: true };
    const since = new Date(Date.now() - this.riskSettings.velocity.windowMs);
    const recentPaymentsOfBuyer = await this.projections.countBuyerPaymentsSince(
      manager,
      merchantId,
      buyer.id,
      since,
    );
    const risk = assessRisk(
      {
        buyerId: buyer.id,
        ...(buyer.country === undefined ? {} : { buyerCountry: buyer.country }),
        instrumentToken: instrumentTokenOf(command.paymentMethod),
        currency: command.currency,
        amountMinor,
        recentPaymentsOfBuyer,
      },
      this.riskSettings,
    );
    const payment = decideNewPayment({ ...command, risk });
    const { state } = payment;
    const response: StoredResponse = {
      status: 202,
      headers: { Location: `/v1/payments/${state.id}` },
      body: JSON.stringify(detailViewOf(paymentRecordOf(state))),
    };
    await this.intake.insertNewPayment(
      manager,
      payment,
      { scope, claimToken: claim.claimToken, response },
      this.outbox.parametersFor(manager, integrationEventsOf(state, payment.events)),
    );
    this.logger.debug(
      {
        paymentId: state.id,
        merchantId,
        status: state.status,
        ...(risk.approved ? {} : { riskReason: risk.reason }),
      },
      'payment accepted',
    );
    return { ...response, replayed: false };
  }
}

/**
 * Ids are drawn and each order's platform fee is decided here, so the decision stays pure; the
 * intake rules are checked before any I/O.
 */
function requestOf(merchantId: string, body: CreatePaymentRequest, feePolicy: FeePolicy): UnassessedRequest {
  const { buyer } = body;
  const lines: PaymentOrderLine[] = body.orders.map((order) => ({
    paymentOrderId: newId('po'),
    sellerId: order.sellerId,
    amountMinor: BigInt(order.amount),
  }));
  const amountMinor = assertValidIntake(body.currency, lines);
  const { paymentMethod } = body;
  const orders = lines.map((line) => ({
    ...line,
    platformFeeMinor: platformFeeMinorOf(line.amountMinor, body.currency, paymentMethod.type, feePolicy),
  }));
  const command: UnassessedRequest['command'] = {
    kind: 'RequestPayment',
    occurredAt: new Date().toISOString(),
    paymentId: newId('pay'),
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
  };
  return { command, amountMinor };
}

/** The one place a platform fee is computed: the order's, by the configured policy. */
function platformFeeMinorOf(
  amountMinor: bigint,
  currency: string,
  methodType: PaymentMethodType,
  feePolicy: FeePolicy,
): bigint {
  // assertValidIntake has refused an unknown currency already; this narrows the type.
  if (!isCurrencyCode(currency)) throw new Error(`currency '${currency}' passed intake unchecked`);
  return platformFeeOf(Money.of(amountMinor, currency), methodType, feePolicy).amountMinor;
}

/**
 * Business refusals become problems; anything else stays an error (500, or 503 for a lost database
 * connection). A checkout that already has a payment is refused by the table's unique constraint.
 */
function problemOf(error: unknown, body: CreatePaymentRequest): unknown {
  if (violatedUniqueConstraint(error) === CHECKOUT_CONSTRAINT) {
    return new PaymentProblem(
      PaymentProblemCode.CheckoutAlreadyExists,
      `A payment for checkout ${body.checkoutId} already exists.`,
      { checkoutId: body.checkoutId },
    );
  }
  if (error instanceof PaymentError && error.code === PaymentErrorCode.InvalidPayment) {
    return new PaymentProblem(PaymentProblemCode.InvalidPayment, error.message);
  }
  return error;
}
