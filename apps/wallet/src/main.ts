import { ServiceEnvironment, startService } from '@keel/platform';
import { walletModule } from './wallet.module';

startService(walletModule, ServiceEnvironment);
