import { ServiceEnvironment, startService } from '@keel/platform';
import { opsModule } from './ops.module';

startService(opsModule, ServiceEnvironment);
