import { SeededRandom } from '@keel/seeded-random';
import { testFees } from './fees';
import { sequentialIds } from './fixed-ids';
import type { ChargeRequest } from '../src/charge-store';
import { ChargeStore } from '../src/charge-store';
import type { PspId } from '../src/psp';
import { SettlementFaults } from '../src/settlement/settlement-faults';
import { Settlements } from '../src/settlement/settlements';
import type { CalendarDate } from '../src/settlement/zoned-time';

/** psp-sim's default fees, so that the specs tell PSPs' rows apart by them. */
const FEES = testFees({ nova: 290, swiftpay: 320 });

/** A store, its settlement faults and files, with predictable ids. */
export function settlementWorld(maxFaults = 20) {
  const ids = sequentialIds();
  const store = new ChargeStore({ maxCharges: 10_000, feeBasisPoints: FEES, ids });
  const faults = new SettlementFaults({ maxFaults, newId: ids.faultId, random: new SeededRandom(1).next });
  const settlements = new Settlements({
    store,
    faults,
    swiftpayMerchantId: 'swift_mid_test',
    newMerchantReference: ids.unknownChargeReference,
  });

  function charge(
    psp: PspId,
    key: string,
    at: string,
    overrides: Partial<ChargeRequest> = {},
  ): { id: string; status: string } {
    const request: ChargeRequest = {
      psp,
      idempotencyKey: key,
      amountMinor: 10_000n,
      currency: 'EUR',
      method: psp === 'swiftpay' ? 'easy_pay' : 'card',
      issuer: undefined,
      instrumentToken: 'tok_approve',
      reference: undefined,
      fingerprint: key,
      twoStep: false,
      ...overrides,
    };
    return store.submit(request, Date.parse(at)).charge;
  }

  function refund(psp: PspId, chargeId: string, at: string, amountMinor?: bigint): void {
    const result = store.refund(psp, chargeId, amountMinor, Date.parse(at));
    if (result.kind !== 'refunded') throw new Error(`refund failed: ${result.kind}`);
  }

  /** The day's rows, one readable line each. */
  function rowsOf(psp: PspId, date: CalendarDate): string[] {
    return [...settlements.rows(psp, date)].map(
      (row) =>
        `${row.kind} ${row.merchantReference} ${row.amountMinor} ${row.currency} fee ${row.feeMinor} at ${new Date(row.eventAtMs).toISOString()}`,
    );
  }

  return { store, faults, settlements, charge, refund, rowsOf };
}
