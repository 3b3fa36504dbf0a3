import { startPspSim } from './run-psp-sim';

startPspSim();
