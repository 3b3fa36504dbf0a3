import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PaymentProblem, PaymentProblemCode } from '../http/payment.problem';
import type { PaymentEnvironment } from '../payment.environment';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import { MethodAvailabilityRepository } from './method-availability.repository';

/**
 * Back-pressure at intake: a payment for a method that no PSP can charge now is refused before
 * anything is stored, with a Retry-After, so the merchant can offer another method at once.
 */
@Injectable()
export class MethodAvailabilityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: MethodAvailabilityRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
  ) {}

  async assertAvailable(methodType: string): Promise<void> {
    const unavailable = await this.repository.findUnavailable(this.dataSource.manager, methodType);
    if (unavailable === undefined) return;
    const retryAfterS = unavailable.retryAfterSeconds ?? this.environment.METHOD_UNAVAILABLE_RETRY_AFTER_S;
    throw new PaymentProblem(
      PaymentProblemCode.MethodUnavailable,
      `No payment service provider can take ${methodType} payments right now; retry later or use another method`,
      { paymentMethodType: methodType, retryAfterSeconds: retryAfterS },
      retryAfterS,
    );
  }
}
