import type { FaultClass } from './fault';
import type { FaultInjector } from './fault-context';
import { injectKafkaBrokerRestart } from './kafka-broker-restart.fault';
import { injectNetworkDelay } from './network-delay.fault';
import { injectPostgresTerminate } from './postgres-terminate.fault';
import { pspSimInjector } from './psp-sim.fault';
import { injectServiceKill } from './service-kill.fault';

/** The injector of every fault class; the record type makes a class without one a compile error. */
export const FAULT_INJECTORS: Readonly<Record<FaultClass, FaultInjector>> = {
  'service-kill': injectServiceKill,
  'kafka-broker-restart': injectKafkaBrokerRestart,
  'postgres-terminate': injectPostgresTerminate,
  'psp-outage': pspSimInjector('psp-outage'),
  'psp-latency': pspSimInjector('psp-latency'),
  'psp-charge-then-timeout': pspSimInjector('psp-charge-then-timeout'),
  'webhook-duplicate': pspSimInjector('webhook-duplicate'),
  'webhook-out-of-order': pspSimInjector('webhook-out-of-order'),
  'network-delay': injectNetworkDelay,
};
