import { startService } from '@keel/platform';
import { OpsEnvironment } from './ops.environment';
import { opsModule } from './ops.module';

startService(opsModule, OpsEnvironment);
