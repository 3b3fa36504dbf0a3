import { ServiceEnvironment, startService } from '@keel/platform';
import { executorModule } from './executor.module';

startService(executorModule, ServiceEnvironment);
