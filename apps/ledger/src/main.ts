import { ServiceEnvironment, startService } from '@keel/platform';
import { ledgerModule } from './ledger.module';

startService(ledgerModule, ServiceEnvironment);
