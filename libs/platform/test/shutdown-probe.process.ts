/** The shutdown probe as its own process, started by service-lifecycle.int-spec.ts. */
import { startService } from '../src/start-service';
import { ShutdownProbeEnvironment, shutdownProbeModule } from './shutdown-probe.service';

startService(shutdownProbeModule, ShutdownProbeEnvironment);
