import { Matches, MaxLength } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';

/** `GET /v1/transactions?reference=<paymentOrderId>`: the transactions recorded for it. */
export class FindTransactionsQuery {
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { message: 'reference must be a Keel identifier' })
  @NoCardNumber()
  reference!: string;
}
