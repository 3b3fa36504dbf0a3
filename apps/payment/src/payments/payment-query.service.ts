import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { decodePageCursor, InvalidPageCursorError, pageOf } from '@keel/contracts';
import { ValidationFailedException } from '@keel/observability';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import { paymentCursorOf, paymentPosition } from './payment-cursor.util';
import { PAYMENT_ID_PATTERN } from './payment-ids.util';
import { PaymentProjectionRepository, type PageCursor } from './payment-projection.repository';
import { detailViewOf, summaryViewOf } from './payment-view.util';
import type { PaymentPageView, PaymentView } from './payment.view';

/** A page request of GET /v1/payments, validated at the HTTP surface. */
export interface PaymentListQuery {
  readonly checkoutId?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** Reads payments from the projections, always for one merchant. */
@Injectable()
export class PaymentQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projections: PaymentProjectionRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
  ) {}

  /**
   * One 404 for an unknown id, another merchant's payment and a path that is no payment id at all,
   * so ids reveal nothing; none echoes the id, which may be anything, a card number included.
   */
  async get(
    merchantId: string,
    paymentId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PaymentView> {
    // A string that is no payment id is not sent to the database: a NUL in it fails the statement.
    const record = PAYMENT_ID_PATTERN.test(paymentId)
      ? await this.projections.findPayment(manager, merchantId, paymentId)
      : undefined;
    if (record === undefined) {
      throw new PaymentProblem(PaymentProblemCode.PaymentNotFound, 'No payment has this id.');
    }
    return detailViewOf(record);
  }

  async list(merchantId: string, query: PaymentListQuery): Promise<PaymentPageView> {
    const limit = query.limit ?? this.environment.PAGE_SIZE_DEFAULT;
    if (limit > this.environment.PAGE_SIZE_MAX) {
      throw new ValidationFailedException([
        { field: 'limit', message: `limit must not be greater than ${this.environment.PAGE_SIZE_MAX}` },
      ]);
    }
    const after = query.cursor === undefined ? undefined : this.cursorOf(query.cursor);
    const filter = {
      ...(query.checkoutId === undefined ? {} : { checkoutId: query.checkoutId }),
      ...(after === undefined ? {} : { after }),
    };
    const records = await this.projections.listPayments(
      this.dataSource.manager,
      merchantId,
      filter,
      limit + 1,
    );
    const page = pageOf(records, limit, ({ payment }) =>
      paymentPosition({ createdAt: payment.created_at.toISOString(), id: payment.id }),
    );
    return { data: page.items.map(summaryViewOf), nextCursor: page.nextCursor };
  }

  private cursorOf(text: string): PageCursor {
    try {
      return decodePageCursor(text, paymentCursorOf);
    } catch (error) {
      if (!(error instanceof InvalidPageCursorError)) throw error;
      throw new PaymentProblem(PaymentProblemCode.InvalidCursor, 'The cursor was not issued by this API.');
    }
  }
}
