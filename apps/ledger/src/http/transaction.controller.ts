import { Controller, Get, Param, Query } from '@nestjs/common';
import { OperatorAccess } from '@keel/operator-auth';
import { LedgerQueryService } from '../queries/ledger-query.service';
import type { TransactionList, TransactionView } from '../queries/transaction.view';
import { FindTransactionsQuery } from './find-transactions-query.dto';

/** Journal transactions, for operators (viewer and above). */
@OperatorAccess('viewer')
@Controller('v1/transactions')
export class TransactionController {
  constructor(private readonly ledger: LedgerQueryService) {}

  @Get()
  findByReference(@Query() query: FindTransactionsQuery): Promise<TransactionList> {
    return this.ledger.transactionsByReference(query.reference);
  }

  @Get(':transactionId')
  get(@Param('transactionId') transactionId: string): Promise<TransactionView> {
    return this.ledger.transaction(transactionId);
  }
}
