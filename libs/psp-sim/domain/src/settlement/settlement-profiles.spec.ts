import { settlementWorld } from '../../test/settlement-world';
import { PSP_IDS } from '../psp';
import { ACME_CSV_DIALECT, NOVA_CSV_DIALECT } from './settlement-dialects';
import { SETTLEMENT_PROFILES } from './settlement-profiles';
import { ZoneClock } from './zoned-time';

describe('SETTLEMENT_PROFILES', () => {
  it.each(PSP_IDS)('gives %s a time zone its settlement day can be counted in', (psp) => {
    expect(() => new ZoneClock(SETTLEMENT_PROFILES[psp].timeZone)).not.toThrow();
  });

  it("names and types each PSP's file in its own dialect", () => {
    const world = settlementWorld();
    const nowMs = Date.parse('2026-12-08T12:00:00Z');
    const files = (['acme', 'nova', 'swiftpay'] as const).map((psp) => {
      const file = world.settlements.file(psp, '2026-12-07', nowMs);
      return [file?.fileName, file?.contentType];
    });
    expect(files).toEqual([
      ['acme_settlement_2026-12-07.csv', 'text/csv; charset=utf-8'],
      ['nova_settlement_20261207.csv', 'text/csv; charset=utf-8'],
      ['swiftpay_settlement_20261207.txt', 'text/plain; charset=utf-8'],
    ]);
  });

  it("cuts an ended day's file once: downloaded again it is the same bytes; the day so far is a file of now", () => {
    const world = settlementWorld();
    world.charge('swiftpay', 'po_1', '2026-12-07T03:00:00Z');
    const linesAt = (date: string, at: string) => [
      ...(world.settlements.file('swiftpay', date, Date.parse(at))?.lines ?? []),
    ];

    const ended = linesAt('2026-12-07', '2026-12-08T12:00:00Z');
    expect(linesAt('2026-12-07', '2026-12-09T08:30:00Z')).toEqual(ended);
    // swiftpay's header states when the file was made: its day's end in Asia/Seoul (15:00 UTC).
    expect(ended[0]).toContain('20261208000000');
    const soFar = (at: string) => linesAt('2026-12-08', at)[0];
    expect(soFar('2026-12-08T01:00:00Z')).not.toEqual(soFar('2026-12-08T02:00:00Z'));
  });

  it("writes local times in the PSP's own zone, whatever the dialect", () => {
    const row = {
      kind: 'charge',
      pspReference: 'N1',
      merchantReference: 'po_1',
      movementId: 'N1',
      amountMinor: 100n,
      currency: 'EUR',
      feeMinor: 3n,
      eventAtMs: Date.parse('2026-12-07T10:11:12Z'),
    } as const;
    const context = { date: '2026-12-07', createdAtMs: 0, merchantId: 'mid' };
    const timesIn = (timeZone: string) => [...NOVA_CSV_DIALECT.lines([row], { ...context, timeZone })][1];
    expect(timesIn('Europe/Berlin')).toContain(';07.12.2026 11:11:12\n');
    expect(timesIn('UTC')).toContain(';07.12.2026 10:11:12\n');
    expect(ACME_CSV_DIALECT.fileName('nova', '2026-12-07')).toBe('nova_settlement_2026-12-07.csv');
  });
});
