import { startService } from '@keel/platform';
import { ExecutorEnvironment } from './executor.environment';
import { executorModule } from './executor.module';

startService(executorModule, ExecutorEnvironment);
