import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule, type ServiceEnvironment } from '@keel/platform';

@Module({})
export class WalletModule {}

/** The wallet service: seller balances, credited once per succeeded payment order. */
export function walletModule(environment: ServiceEnvironment): DynamicModule {
  return {
    module: WalletModule,
    imports: [KeelServiceModule.forRoot({ service: 'wallet', environment })],
  };
}
