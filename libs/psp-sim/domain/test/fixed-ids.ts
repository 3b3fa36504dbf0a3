import type { IdGenerator } from '../src/ids';

/** Predictable ids: `<psp>-charge-1`, `<psp>-refund-1`, ... */
export function sequentialIds(): IdGenerator {
  let next = 0;
  const id = (kind: string) => `${kind}-${++next}`;
  return {
    chargeId: (psp) => id(`${psp}-charge`),
    refundId: (psp) => id(`${psp}-refund`),
    eventId: (psp) => id(`${psp}-event`),
    faultId: () => id('fault'),
    unknownChargeReference: () => id('po_unknown'),
  };
}
