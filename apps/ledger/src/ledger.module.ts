import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { KeelServiceModule } from '@keel/platform';
import { AccountController } from './account.controller';
import { AccountRepository } from './account.repository';
import { JournalRepository } from './journal.repository';
import { JournalService } from './journal.service';
import { LedgerConsumer } from './ledger.consumer';
import { LedgerEnvironment } from './ledger.environment';
import { LedgerQueryService } from './ledger-query.service';
import { LEDGER_MIGRATIONS } from './migrations/1764000000000-create-ledger-tables.migration';
import { AddOrphanChargeKinds1764100000000 } from './migrations/1764100000000-add-orphan-charge-kinds.migration';
import { TransactionController } from './transaction.controller';
import { TransactionRepository } from './transaction.repository';
import { TrialBalanceController } from './trial-balance.controller';

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
        migrations: [...LEDGER_MIGRATIONS, AddOrphanChargeKinds1764100000000],
        consumes: [TOPICS.paymentOrder],
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
