import { startService } from '@keel/platform';
import { WalletEnvironment } from './wallet.environment';
import { walletModule } from './wallet.module';

startService(walletModule, WalletEnvironment);
