import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule, type ServiceEnvironment } from '@keel/platform';

@Module({})
export class LedgerModule {}

/** The ledger service: the double-entry journal, accounts, balances and the trial balance. */
export function ledgerModule(environment: ServiceEnvironment): DynamicModule {
  return {
    module: LedgerModule,
    imports: [KeelServiceModule.forRoot({ service: 'ledger', environment })],
  };
}
