import { ServiceEnvironment, startService } from '@keel/platform';
import { reconciliationModule } from './reconciliation.module';

startService(reconciliationModule, ServiceEnvironment);
