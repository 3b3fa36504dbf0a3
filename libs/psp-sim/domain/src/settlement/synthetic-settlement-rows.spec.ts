import { contractFeeOf } from '../fee';
import { novaSettlementLines } from './nova-settlement-writer';
import { syntheticSettlementRows } from './synthetic-settlement-rows';
import { ZoneClock } from './zoned-time';

describe('syntheticSettlementRows', () => {
  const options = { psp: 'nova', date: '2026-10-25', count: 2_000, seed: 11, currency: 'EUR' } as const;

  it('gives the same rows for the same seed and others for another', () => {
    const rows = [...syntheticSettlementRows(options)];
    expect(rows).toHaveLength(2_000);
    expect([...syntheticSettlementRows(options)]).toEqual(rows);
    expect([...syntheticSettlementRows({ ...options, seed: 12 })]).not.toEqual(rows);
  });

  it("spreads them in time order over the PSP's whole day, 25 hours here", () => {
    const rows = [...syntheticSettlementRows(options)];
    const { startMs, endMs } = new ZoneClock('Europe/Berlin').boundsOf('2026-10-25');
    expect(rows[0]?.eventAtMs).toBe(startMs);
    expect(
      rows.every((row, index) => index === 0 || row.eventAtMs >= (rows[index - 1]?.eventAtMs ?? 0)),
    ).toBe(true);
    expect(rows.every((row) => row.eventAtMs < endMs)).toBe(true);
    expect((rows.at(-1)?.eventAtMs ?? 0) - startMs).toBeGreaterThan(24 * 3_600_000);
  });

  it('charges with the contract fee and refunds the charge before in full, without fee', () => {
    const rows = [...syntheticSettlementRows({ ...options, feeBasisPoints: 290, refundShare: 0.2 })];
    const refunds = rows.filter((row) => row.kind === 'refund');
    expect(refunds.length).toBeGreaterThan(200);
    expect(new Set(rows.map((row) => row.movementId)).size).toBe(rows.length);
    rows.forEach((row, index) => {
      if (row.kind === 'charge') {
        expect(row.feeMinor).toBe(contractFeeOf(row.amountMinor, 'EUR', 290));
        return;
      }
      const charge = rows[index - 1];
      expect(charge?.kind).toBe('charge');
      expect(row).toMatchObject({
        pspReference: charge?.pspReference,
        merchantReference: charge?.merchantReference,
        amountMinor: charge?.amountMinor,
        feeMinor: 0n,
      });
    });
  });

  it('makes rows only as they are read, so a file of any size streams through a writer', () => {
    const lines = novaSettlementLines(syntheticSettlementRows({ ...options, count: 1_000_000_000 }), {
      date: options.date,
      timeZone: 'Europe/Berlin',
      createdAtMs: 0,
    });
    const first: string[] = [];
    for (const line of lines) {
      first.push(line);
      if (first.length === 3) break;
    }
    expect(first[0]).toBe('Buchungstag;Transaktions-ID;Auftragsnummer;Betrag;Waehrung;Zeitpunkt\n');
    expect(first[1]).toMatch(
      /^25\.10\.2026;N0000000B0000000000000000;po_synthetic_11_0;\d+,\d\d;EUR;25\.10\.2026 00:00:00\n$/,
    );
  });
});
