import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { AcmeSettlementParser } from '../dialects/acme.parser';
import { readAll } from '../settlement-reading.fixture';
import type { SettlementRow } from '../settlement-row';
import type { KeelOrderView } from './keel-order-view';
import { mergeJoin } from './merge-join';
import { classifyJoined, isUnpaired, matchOptions } from './order-matching';
import { ReconciliationTally } from './reconciliation-tally';

const DAY = '2026-12-07';

const keelOrder = (overrides: Partial<KeelOrderView>): KeelOrderView => ({
  merchantReference: 'po_1',
  pspReference: undefined,
  status: 'succeeded',
  amountMinor: 0n,
  currency: 'KRW',
  chargedOn: DAY,
  refundedMinor: 0n,
  expectedFeeMinor: 0n,
  ...overrides,
});

/** `items` sorted by `key`, as one chunk. */
async function* sortedBy<T>(items: readonly T[], key: (item: T) => string): AsyncGenerator<readonly T[]> {
  yield [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe('matching a parsed file against Keel, streamed', () => {
  it("classifies acme's golden file by merchant reference and tallies the run", async () => {
    const { rows } = await readAll(
      new AcmeSettlementParser().parse(
        createReadStream(join(__dirname, '..', 'dialects', '__fixtures__', 'acme-2026-12-07.csv')),
        DAY,
      ),
    );
    const keel = [
      // Keel failed this order and refunded the PSP's charge: the orphan is settled.
      keelOrder({
        merchantReference: 'po_3n5d01',
        status: 'failed',
        chargedOn: undefined,
        amountMinor: 10_000n,
        refundedMinor: 10_000n,
      }),
      // The PSP kept 65 cents, the contract allows 64.
      keelOrder({
        merchantReference: 'po_7x1c02',
        amountMinor: 2_599n,
        currency: 'USD',
        expectedFeeMinor: 64n,
      }),
      keelOrder({
        merchantReference: 'po_late03',
        amountMinor: 1_500n,
        currency: 'EUR',
        chargedOn: '2026-12-06',
        expectedFeeMinor: 38n,
      }),
      keelOrder({ merchantReference: 'po_zz_absent', amountMinor: 700n }),
    ];
    const options = matchOptions('merchantReference');
    const tally = new ReconciliationTally();
    const verdicts: string[] = [];

    const groups = mergeJoin(sortedBy(keel, options.keelKey), sortedBy(rows, options.rowKey), options);
    for await (const classified of classifyJoined(groups, DAY)) {
      tally.add(classified);
      verdicts.push(`${classified.merchantReference}: ${classified.class}`);
    }

    expect(verdicts).toEqual([
      'po_3n5d01: matched',
      'po_7x1c02: fee_mismatch',
      'po_late03: timing',
      'po_zz_absent: missing_at_psp',
    ]);
    expect(tally.moneyAtRisk()).toEqual(
      new Map([
        ['USD', 1n],
        ['KRW', 700n],
      ]),
    );
  });

  it('pairs by PSP reference first and sends the unpaired on to the merchant-reference pass', async () => {
    const row = { pspReference: 'ch_1', merchantReference: 'po_typo' } as SettlementRow;
    const options = matchOptions('pspReference');
    const groups = [];
    for await (const group of mergeJoin(
      sortedBy(
        [keelOrder({ pspReference: 'ch_1' }), keelOrder({ merchantReference: 'po_2', pspReference: 'ch_2' })],
        options.keelKey,
      ),
      sortedBy([row], options.rowKey),
      options,
    )) {
      groups.push({ key: group.key, unpaired: isUnpaired(group) });
    }

    expect(groups).toEqual([
      { key: 'ch_1', unpaired: false },
      { key: 'ch_2', unpaired: true },
    ]);
  });

  it('refuses to match an order without a PSP reference by PSP reference', () => {
    expect(() => matchOptions('pspReference').keelKey(keelOrder({ pspReference: undefined }))).toThrow(
      'order po_1 has no PSP reference to be matched by',
    );
  });
});
