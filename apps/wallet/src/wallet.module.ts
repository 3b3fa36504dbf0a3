import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { KeelServiceModule } from '@keel/platform';
import { CreateWalletTables1763950000000 } from './migrations/1763950000000-create-wallet-tables.migration';
import { FeeFromEvent1764300000000 } from './migrations/1764300000000-fee-from-event.migration';
import { MerchantScopedWallets1764500000000 } from './migrations/1764500000000-merchant-scoped-wallets.migration';
import { WalletEntriesByMerchantSeller1764500000001 } from './migrations/1764500000001-wallet-entries-by-merchant-seller.migration';
import { WalletConsumer } from './credits/wallet.consumer';
import { WalletController } from './http/wallet.controller';
import { WalletCreditService } from './credits/wallet-credit.service';
import { WalletEntryRepository } from './wallets/wallet-entry.repository';
import type { WalletEnvironment } from './wallet.environment';
import { WalletReadService } from './wallets/wallet-read.service';
import { WalletRepository } from './wallets/wallet.repository';
import { WALLET_SETTINGS, walletSettingsOf } from './wallet.settings';

@Module({})
export class WalletModule {}

export const WALLET_MIGRATIONS = [
  CreateWalletTables1763950000000,
  FeeFromEvent1764300000000,
  MerchantScopedWallets1764500000000,
  WalletEntriesByMerchantSeller1764500000001,
];

/** The wallet service: seller balances, credited once per succeeded payment order. */
export function walletModule(environment: WalletEnvironment): DynamicModule {
  return {
    module: WalletModule,
    imports: [
      KeelServiceModule.forRoot({
        service: 'wallet',
        environment,
        migrations: WALLET_MIGRATIONS,
        consumes: [TOPICS.paymentOrder],
      }),
    ],
    controllers: [WalletController, WalletConsumer],
    providers: [
      { provide: WALLET_SETTINGS, useValue: walletSettingsOf(environment) },
      WalletRepository,
      WalletEntryRepository,
      WalletCreditService,
      WalletReadService,
    ],
  };
}
