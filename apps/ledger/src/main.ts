import { startService } from '@keel/platform';
import { LedgerEnvironment } from './ledger.environment';
import { ledgerModule } from './ledger.module';

startService(ledgerModule, LedgerEnvironment);
