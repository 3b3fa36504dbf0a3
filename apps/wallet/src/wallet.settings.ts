import type { PageLimits } from '@keel/wallet-domain';
import type { WalletEnvironment } from './wallet.environment';

/** The injection token of the wallet's settings. */
export const WALLET_SETTINGS = Symbol('keel.wallet.settings');

/** What the wallet's services read from the environment, parsed once at start. */
export interface WalletSettings {
  readonly entriesPageLimits: PageLimits;
}

export function walletSettingsOf(environment: WalletEnvironment): WalletSettings {
  return {
    entriesPageLimits: {
      defaultLimit: environment.WALLET_ENTRIES_PAGE_LIMIT_DEFAULT,
      maxLimit: environment.WALLET_ENTRIES_PAGE_LIMIT_MAX,
    },
  };
}
