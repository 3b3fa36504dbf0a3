import { startService } from '@keel/platform';
import { ReconciliationEnvironment } from './reconciliation.environment';
import { reconciliationModule } from './reconciliation.module';

startService(reconciliationModule, ReconciliationEnvironment);
