import { PspSimProcess } from '@keel/local-system';
import { TOPICS, type EventEnvelope } from '@keel/contracts';
import { dayIn } from '@keel/reconciliation-domain';
import {
  chargeRecorded,
  KeelViewFixture,
  netOfFee,
  newOrderId,
  sellerPayableAccountOf,
  walletCredited,
} from '../../test/keel-view-fixture';
import type { ReconciliationRun } from '../runs/reconciliation-run';
import type { ThreeWayCheckSummary } from './three-way-check.step';
import { completedRunOf } from '../../test/completed-run';

jest.setTimeout(120_000);

/** A past day of no charges: the wallet leg is Keel's as a whole, whatever the run's day. */
const DAY = dayIn('UTC', new Date(Date.now() - 40 * 86_400_000));
const AT = `${DAY}T12:00:00.000Z`;

let sim: PspSimProcess;
let view: KeelViewFixture;

beforeAll(async () => {
  sim = await PspSimProcess.start();
  view = await KeelViewFixture.start(sim.pspUrls());
});

afterAll(async () => {
  await view?.stop();
  await sim?.stop();
});

type CheckedRun = ReconciliationRun & { summary: { threeWayCheck: ThreeWayCheckSummary } };

async function runOf(psp: 'acme' | 'nova'): Promise<ThreeWayCheckSummary['wallets']> {
  const run = await completedRunOf<CheckedRun>(view.service.baseUrl, psp, DAY);
  return run.summary.threeWayCheck.wallets;
}

/** A charge the ledger owes `sellerId` and, unless `wallet` differs, the wallet credit of the same amount. */
function charged(
  sellerId: string,
  amountMinor: bigint,
  currency: string,
  wallet: { creditedMinor?: bigint } = {},
): { ledger: EventEnvelope; credit: EventEnvelope } {
  const paymentOrderId = newOrderId();
  return {
    ledger: chargeRecorded({
      psp: 'acme',
      amountMinor,
      currency,
      recordedAt: AT,
      paymentOrderId,
      merchantId: 'merchant-w',
      sellerId,
    }),
    credit: walletCredited({
      merchantId: 'merchant-w',
      sellerId,
      paymentOrderId,
      amountMinor: wallet.creditedMinor ?? netOfFee(amountMinor),
      currency,
    }),
  };
}

/** Published, and not waited for: the run itself waits until its view has consumed them. */
async function publish(ledger: readonly EventEnvelope[], wallet: readonly EventEnvelope[]): Promise<void> {
  if (ledger.length > 0) await view.publish(TOPICS.ledger, ledger);
  if (wallet.length > 0) await view.publish(TOPICS.wallet, wallet);
}

function walletDiscrepancies(): Promise<{ status: string; money_at_risk_minor: string; psp: string }[]> {
  return view.queryRows(
    `SELECT status, money_at_risk_minor::text, psp FROM discrepancies
     WHERE class = 'wallet_ledger_mismatch' ORDER BY opened_at`,
  );
}

describe("the three-way check's wallet leg on the real PostgreSQL, Kafka and psp-sim", () => {
  it("agrees when every wallet holds what the ledger owes its seller, as of the run's start", async () => {
    const krw = charged('s1', 100_000n, 'KRW');
    const usd = charged('s2', 2_000n, 'USD');
    await publish([krw.ledger, usd.ledger], [krw.credit, usd.credit]);

    const wallets = await runOf('acme');

    expect(wallets).toMatchObject({
      asOf: { caughtUp: true, behindRecords: 0 },
      lagging: false,
      agrees: true,
      differingSellers: [],
      moneyAtRisk: {},
      discrepancies: { opened: 0, resolved: 0 },
    });
    expect(wallets.byCurrency).toEqual([
      {
        currency: 'KRW',
        walletMinor: '99000',
        ledgerMinor: '99000',
        differenceMinor: '0',
        differingSellers: 0,
        agrees: true,
      },
      {
        currency: 'USD',
        walletMinor: '1980',
        ledgerMinor: '1980',
        differenceMinor: '0',
        differingSellers: 0,
        agrees: true,
      },
    ]);
    expect(await walletDiscrepancies()).toEqual([]);
  });

  it('detects a planted difference, opens it once for every PSP, and resolves it once the sides agree', async () => {
    // s3's wallet was credited 10 KRW too little; s4's charge reached the ledger but not its wallet.
    const overCredited = charged('s3', 50_000n, 'KRW', { creditedMinor: 49_490n });
    const uncredited = charged('s4', 20_000n, 'KRW');
    await publish([overCredited.ledger, uncredited.ledger], [overCredited.credit]);

    const acme = await runOf('acme');

    expect(acme).toMatchObject({ lagging: false, agrees: false, moneyAtRisk: { KRW: '19810' } });
    expect(acme.byCurrency.find((total) => total.currency === 'KRW')).toEqual({
      currency: 'KRW',
      walletMinor: '148490',
      ledgerMinor: '168300',
      differenceMinor: '-19810',
      differingSellers: 2,
      agrees: false,
    });
    // No wallet names s4: the ledger's account is all there is to name it by.
    expect(acme.differingSellers).toEqual([
      {
        merchantId: null,
        sellerId: null,
        accountId: sellerPayableAccountOf('merchant-w', 's4', 'KRW'),
        currency: 'KRW',
        walletMinor: '0',
        ledgerMinor: '19800',
        differenceMinor: '-19800',
      },
      expect.objectContaining({
        merchantId: 'merchant-w',
        sellerId: 's3',
        walletMinor: '49490',
        ledgerMinor: '49500',
      }),
    ]);
    expect(acme.discrepancies).toEqual({ opened: 1, resolved: 0 });
    // nova's run of the day finds the same difference: the open discrepancy is refreshed, not doubled.
    expect((await runOf('nova')).discrepancies).toEqual({ opened: 0, resolved: 0 });
    expect(await walletDiscrepancies()).toEqual([
      { status: 'open', money_at_risk_minor: '19810', psp: 'acme' },
    ]);

    // The wallet catches up: s4's credit, and the 10 KRW s3 was short.
    const s3Rest = walletCredited({
      merchantId: 'merchant-w',
      sellerId: 's3',
      amountMinor: 10n,
      currency: 'KRW',
    });
    await publish([], [uncredited.credit, s3Rest]);

    const settled = await runOf('acme');

    expect(settled).toMatchObject({ agrees: true, discrepancies: { opened: 0, resolved: 1 } });
    expect(await walletDiscrepancies()).toEqual([
      { status: 'resolved', money_at_risk_minor: '19810', psp: 'acme' },
    ]);
  });
});
