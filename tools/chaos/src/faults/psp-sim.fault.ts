import { addSimulatorFault, removeSimulatorFault } from '@keel/traffic';
import type { FaultClass, ScheduledFault } from './fault';
import { numberParameter, stringParameter, type FaultInjector } from './fault-context';

type PspSimFaultClass = Extract<
  FaultClass,
  'psp-outage' | 'psp-latency' | 'psp-charge-then-timeout' | 'webhook-duplicate' | 'webhook-out-of-order'
>;

/** The psp-sim fault (POST /admin/faults, apps/psp-sim/API.md) that each of these classes asks for. */
function simulatorFault(faultClass: PspSimFaultClass, fault: ScheduledFault): Record<string, unknown> {
  switch (faultClass) {
    case 'psp-outage':
      return { outage: stringParameter(fault, 'outage') };
    case 'psp-latency':
      return { latencyMs: numberParameter(fault, 'latencyMs') };
    case 'psp-charge-then-timeout':
      return { chargeThenTimeoutRate: numberParameter(fault, 'chargeThenTimeoutRate') };
    case 'webhook-duplicate':
      return { webhookDuplicateRate: numberParameter(fault, 'webhookDuplicateRate') };
    case 'webhook-out-of-order':
      return { webhookDelayMs: numberParameter(fault, 'webhookDelayMs') };
  }
}

/** Faults one PSP of the simulator for the duration; the undo removes the fault again. */
export function pspSimInjector(faultClass: PspSimFaultClass): FaultInjector {
  return async (fault, { system }) => {
    const simUrl = system.url('psp-sim');
    const body = { psp: fault.target, ...simulatorFault(faultClass, fault) };
    const id = await addSimulatorFault(simUrl, body);
    return {
      observation: () => `psp-sim fault ${id}: ${JSON.stringify(body)}`,
      undo: () => removeSimulatorFault(simUrl, id),
    };
  };
}
