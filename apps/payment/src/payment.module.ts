import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { EnvironmentError, KeelServiceModule } from '@keel/platform';
import { ApiKeyAdminService } from './apikeys/api-key-admin.service';
import { ApiKeyAuthenticator } from './apikeys/api-key-authenticator.service';
import { ApiKeyRepository } from './apikeys/api-key.repository';
import { AdmissionService } from './admission/admission.service';
import { BacklogSampler } from './admission/backlog-sampler.service';
import { KeyRateLimiter } from './admission/key-rate-limiter.service';
import { PaymentBacklogRepository } from './admission/payment-backlog.repository';
import { MethodAvailabilityConsumer } from './availability/method-availability.consumer';
import { MethodAvailabilityRepository } from './availability/method-availability.repository';
import { MethodAvailabilityService } from './availability/method-availability.service';
import { MethodStatusConsumer } from './availability/method-status.consumer';
import { MethodStatusRepository } from './availability/method-status.repository';
import { MethodStatusService } from './availability/method-status.service';
import { OpenApiDocs } from './docs/openapi-docs.provider';
import { ApiKeysAdminController } from './http/api-keys-admin.controller';
import { PaymentMethodsController } from './http/payment-methods.controller';
import { PaymentsController } from './http/payments.controller';
import { IdempotencyPurger } from './idempotency/idempotency-purger.service';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { IdempotencyService } from './idempotency/idempotency.service';
import { PAYMENT_MIGRATIONS } from './migrations/1763900010000-create-payment-tables.migration';
import { CreateMethodAvailability1763900300000 } from './migrations/1763900300000-create-method-availability.migration';
import { IndexPaymentBacklog1763900400000 } from './migrations/1763900400000-index-payment-backlog.migration';
import { IndexChargeBacklog1763900500000 } from './migrations/1763900500000-index-charge-backlog.migration';
import { IndexOldestAwaitingCharge1763900600000 } from './migrations/1763900600000-index-oldest-awaiting-charge.migration';
import { CreateApiKeys1763900700000 } from './migrations/1763900700000-create-api-keys.migration';
import { CreateOperatorAudit1765000000000 } from './migrations/1765000000000-create-operator-audit.migration';
import { CreateMethodStatus1767200000000 } from './migrations/1767200000000-create-method-status.migration';
import { AddMethodStatusAdmission1767300000000 } from './migrations/1767300000000-add-method-status-admission.migration';
import type { PaymentEnvironment } from './payment.environment';
import {
  FEE_POLICY,
  feePolicyOf,
  PAYMENT_ENVIRONMENT,
  RISK_SETTINGS,
  riskSettingsOf,
} from './payment.settings';
import { PaymentEventRepository } from './payments/payment-event.repository';
import { PaymentIntakeRepository } from './payments/payment-intake.repository';
import { PaymentIntakeService } from './payments/payment-intake.service';
import { PaymentProjectionRepository } from './payments/payment-projection.repository';
import { PaymentQueryService } from './payments/payment-query.service';
import { ProjectionRebuilder } from './payments/projection-rebuilder.service';
import { PaymentSagaConsumer } from './saga/payment-saga.consumer';
import { PaymentSagaRepository } from './saga/payment-saga.repository';
import { PaymentSagaService } from './saga/payment-saga.service';

@Module({})
export class PaymentModule {}

function assertConsistent(environment: PaymentEnvironment): void {
  if (environment.PAGE_SIZE_DEFAULT > environment.PAGE_SIZE_MAX) {
    throw new EnvironmentError('invalid environment:\n  PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX');
  }
}

/** The payment service: the merchant-facing API (checkouts, payments, refunds), the event-sourced payment aggregate, the risk check and the payment saga. */
export function paymentModule(environment: PaymentEnvironment): DynamicModule {
  assertConsistent(environment);
  return {
    module: PaymentModule,
    imports: [
      KeelServiceModule.forRoot({
        service: 'payment',
        environment,
        migrations: [
          ...PAYMENT_MIGRATIONS,
          CreateMethodAvailability1763900300000,
          IndexPaymentBacklog1763900400000,
          IndexChargeBacklog1763900500000,
          IndexOldestAwaitingCharge1763900600000,
          CreateApiKeys1763900700000,
          CreateOperatorAudit1765000000000,
          CreateMethodStatus1767200000000,
          AddMethodStatusAdmission1767300000000,
        ],
        consumes: [TOPICS.paymentOrder, TOPICS.wallet, TOPICS.ledger, TOPICS.psp, TOPICS.ops],
      }),
    ],
    controllers: [
      PaymentsController,
      PaymentMethodsController,
      ApiKeysAdminController,
      PaymentSagaConsumer,
      MethodAvailabilityConsumer,
      MethodStatusConsumer,
    ],
    providers: [
      { provide: PAYMENT_ENVIRONMENT, useValue: environment },
      { provide: RISK_SETTINGS, useValue: riskSettingsOf(environment) },
      { provide: FEE_POLICY, useValue: feePolicyOf(environment) },
      IdempotencyRepository,
      IdempotencyService,
      IdempotencyPurger,
      PaymentEventRepository,
      PaymentProjectionRepository,
      PaymentQueryService,
      PaymentIntakeRepository,
      PaymentIntakeService,
      ProjectionRebuilder,
      PaymentSagaService,
      PaymentSagaRepository,
      OpenApiDocs,
      MethodAvailabilityRepository,
      MethodAvailabilityService,
      MethodStatusRepository,
      MethodStatusService,
      PaymentBacklogRepository,
      BacklogSampler,
      AdmissionService,
      KeyRateLimiter,
      ApiKeyRepository,
      ApiKeyAuthenticator,
      ApiKeyAdminService,
    ],
  };
}
