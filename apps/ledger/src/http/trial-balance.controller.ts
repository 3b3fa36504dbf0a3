import { Controller, Get } from '@nestjs/common';
import { OperatorAccess } from '@keel/operator-auth';
import { LedgerQueryService } from '../queries/ledger-query.service';
import type { BalanceCheckView, TrialBalanceView } from '../queries/trial-balance.view';

/** The trial balance and the balance check, for operators (viewer and above). */
@OperatorAccess('viewer')
@Controller('v1')
export class TrialBalanceController {
  constructor(private readonly ledger: LedgerQueryService) {}

  @Get('trial-balance')
  trialBalance(): Promise<TrialBalanceView> {
    return this.ledger.trialBalance();
  }

  /** Reconciles every running balance with its postings; a full scan, for operators and tests. */
  @Get('balance-check')
  balanceCheck(): Promise<BalanceCheckView> {
    return this.ledger.balanceCheck();
  }
}
