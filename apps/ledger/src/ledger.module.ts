import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { KeelServiceModule } from '@keel/platform';
import { AccountController } from './http/account.controller';
import { TransactionController } from './http/transaction.controller';
import { TrialBalanceController } from './http/trial-balance.controller';
import { JournalRepository } from './journal/journal.repository';
import { JournalService } from './journal/journal.service';
import { LedgerConsumer } from './journal/ledger.consumer';
import { LedgerEnvironment } from './ledger.environment';
import { LEDGER_MIGRATIONS } from './migrations/1764000000000-create-ledger-tables.migration';
import { AddOrphanChargeKinds1764100000000 } from './migrations/1764100000000-add-orphan-charge-kinds.migration';
import { MerchantScopedSellerPayables1764500000000 } from './migrations/1764500000000-merchant-scoped-seller-payables.migration';
import { AddPspFeeAdjustments1766400000000 } from './migrations/1766400000000-add-psp-fee-adjustments.migration';
import { AccountRepository } from './queries/account.repository';
import { LedgerQueryService } from './queries/ledger-query.service';
import { TransactionRepository } from './queries/transaction.repository';

@Module({})
export class LedgerModule {}

/** The ledger service: the double-entry journal, accounts, balances and the trial balance. */
export function ledgerModule(environment: LedgerEnvironment): DynamicModule {
  return {
    module: LedgerModule,
    imports: [
      KeelServiceModule.forRoot({
        service: 'ledger',
        environment,
        migrations: [
          ...LEDGER_MIGRATIONS,
          AddOrphanChargeKinds1764100000000,
          MerchantScopedSellerPayables1764500000000,
          AddPspFeeAdjustments1766400000000,
        ],
        // Reconciliation's topic for its fee adjustments (fee_adjustment_requested) only.
        consumes: [TOPICS.paymentOrder, TOPICS.reconciliation],
      }),
    ],
    controllers: [AccountController, TransactionController, TrialBalanceController, LedgerConsumer],
    providers: [
      { provide: LedgerEnvironment, useValue: environment },
      JournalRepository,
      AccountRepository,
      TransactionRepository,
      JournalService,
      LedgerQueryService,
    ],
  };
}
