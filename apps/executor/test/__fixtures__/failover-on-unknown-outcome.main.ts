import { startService } from '@keel/platform';
import { ExecutorEnvironment } from '../../src/executor.environment';
import { executorFailingOverOnUnknownOutcome } from './failover-on-unknown-outcome';

// The executor with a planted double-charge bug: the chaos suite's broken-build proof starts it in
// place of apps/executor/src/main.ts. A __fixtures__ folder, so the build (.swcrc) leaves it out.
startService(executorFailingOverOnUnknownOutcome, ExecutorEnvironment);
