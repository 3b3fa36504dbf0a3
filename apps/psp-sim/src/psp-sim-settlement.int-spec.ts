import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACME_HEADERS,
  adminCharges,
  newKey,
  novaForm,
  postForm,
  postJson,
  startSimulator,
  SWIFTPAY_HEADERS,
} from '../test/psp-sim-harness';
import type { RunningPspSim } from './run-psp-sim';

jest.setTimeout(60_000);

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Today in a zone, `YYYY-MM-DD`, by the platform's own calendar (en-CA writes ISO dates). */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Settlement files over real HTTP: charges made through each PSP's API, settlement faults injected
 * through the admin API, and each PSP's file downloaded in its own dialect and checked row by row,
 * as Keel's reconciliation would read it.
 */
describe('psp-sim settlement files', () => {
  let sim: RunningPspSim;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'psp-sim-settlement-int-'));
    sim = await startSimulator({ PSP_SIM_SETTLEMENT_DIR: directory });
  });

  beforeEach(async () => {
    // Each case reads whole days: it starts from an empty simulator.
    expect((await fetch(`${sim.url}/admin/reset`, { method: 'POST' })).status).toBe(204);
  });

  afterAll(async () => {
    await sim.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function addSettlementFault(fault: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await postJson(`${sim.url}/admin/settlement-faults`, fault, JSON_HEADERS);
    if (response.status !== 201) {
      throw new Error(`POST /admin/settlement-faults answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as Record<string, unknown>;
  }

  /** The body of a file response, after checking it came as a streamed attachment. */
  async function fileText(response: Response, contentType: string, fileName: string): Promise<string> {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${contentType}; charset=utf-8`);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${fileName}"`);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    return response.text();
  }

  describe('acme', () => {
    const acme = (path: string) => `${sim.pspUrl('acme')}/acme/v1/${path}`;
    const charge = async (key: string, amount: number, source = 'tok_approve') =>
      (await (
        await postJson(
          acme('charges'),
          { amount, currency: 'KRW', source, reference: key },
          { ...ACME_HEADERS, 'idempotency-key': key },
        )
      ).json()) as { id: string; status: string };
    const download = (date: string, headers: Record<string, string> = ACME_HEADERS) =>
      fetch(acme(`settlements/${date}`), { headers });

    it('reports charges and refunds of the UTC day, with a duplicated row, a wrong fee and a charge Keel never made', async () => {
      const paid = newKey('acme_paid');
      const cancelled = newKey('acme_cancelled');
      const declined = newKey('acme_declined');
      const unknown = newKey('acme_unknown');
      const paidCharge = await charge(paid, 20_000);
      const cancelledCharge = await charge(cancelled, 1_500);
      expect((await charge(declined, 900, 'tok_decline_do_not_honor')).status).toBe('declined');
      const refund = await postJson(acme(`charges/${cancelledCharge.id}/refunds`), {}, ACME_HEADERS);
      expect(refund.status).toBe(200);
      await addSettlementFault({
        psp: 'acme',
        kind: 'duplicate_row',
        merchantReference: cancelled,
        rowKind: 'refund',
      });
      await addSettlementFault({
        psp: 'acme',
        kind: 'fee_mismatch',
        merchantReference: paid,
        feeDeltaMinor: 7,
      });
      const unknownFault = await addSettlementFault({
        psp: 'acme',
        kind: 'unknown_charge',
        merchantReference: unknown,
        amountMinor: 3_000,
      });
      const [unknownCharge] = await adminCharges(sim, unknown);
      expect(unknownCharge).toMatchObject({
        id: unknownFault['chargeId'],
        status: 'approved',
        feeMinor: '75',
      });

      const date = todayIn('UTC');
      const text = await fileText(await download(date), 'text/csv', `acme_settlement_${date}.csv`);
      const [header, ...rows] = parse(text) as string[][];
      expect(header).toEqual([
        'settlement_date',
        'psp_reference',
        'merchant_reference',
        'type',
        'amount_minor',
        'currency',
        'fee_minor',
        'event_time',
      ]);
      const summary = rows.map(([day, pspReference, merchantReference, type, amount, currency, fee]) => [
        day,
        pspReference,
        merchantReference,
        type,
        amount,
        currency,
        fee,
      ]);
      expect(summary).toEqual([
        [date, paidCharge.id, paid, 'charge', '20000', 'KRW', '507'],
        [date, cancelledCharge.id, cancelled, 'charge', '1500', 'KRW', '38'],
        [date, cancelledCharge.id, cancelled, 'refund', '1500', 'KRW', '0'],
        [date, cancelledCharge.id, cancelled, 'refund', '1500', 'KRW', '0'],
        [date, unknownFault['chargeId'], unknown, 'charge', '3000', 'KRW', '75'],
      ]);
      for (const row of rows) expect(row[7]?.slice(0, 10)).toBe(date);
    });

    it('refuses a future day, a malformed date and a wrong key in its own error style', async () => {
      const tomorrow = dayAfter(todayIn('UTC'));
      const future = await download(tomorrow);
      expect(future.status).toBe(400);
      expect(await future.json()).toEqual({
        error: {
          type: 'invalid_request_error',
          code: 'settlement_date_in_future',
          message: `No settlement file for ${tomorrow} yet: the day has not begun (UTC).`,
        },
      });
      expect((await download('2026-02-30')).status).toBe(400);
      const wrongKey = await download(todayIn('UTC'), { authorization: 'Bearer nope' });
      expect(wrongKey.status).toBe(401);
      expect(await wrongKey.json()).toMatchObject({ error: { type: 'authentication_error' } });
    });
  });

  describe('nova', () => {
    const nova = (operation: string) => `${sim.pspUrl('nova')}/nova/api/${operation}`;
    const pay = async (orderNo: string, amt: string) =>
      (await (
        await postForm(
          nova('payment'),
          novaForm(
            { order_no: orderNo, amt, cur: 'EUR', pay_type: 'card', card_token: 'tok_approve' },
            { orderNo, amt },
          ),
        )
      ).json()) as { tid: string; result_code: string };
    const download = (settleDate: string) =>
      postForm(nova('settlement'), novaForm({ settle_date: settleDate }, { orderNo: settleDate, amt: '0' }));

    it('reports the Berlin day in major units with a decimal comma, refunds negative, and the file fee in its trailer', async () => {
      const kept = newKey('nova_kept');
      const cancelled = newKey('nova_cancelled');
      const missing = newKey('nova_missing');
      const wrongAmount = newKey('nova_amount');
      const keptTx = await pay(kept, '12345');
      const cancelledTx = await pay(cancelled, '5000');
      await pay(missing, '700');
      const wrongAmountTx = await pay(wrongAmount, '1000');
      expect(keptTx.result_code).toBe('0000');
      const cancel = await postForm(
        nova('cancel'),
        novaForm({ tid: cancelledTx.tid, amt: '5000' }, { orderNo: cancelledTx.tid, amt: '5000' }),
      );
      expect(await cancel.json()).toMatchObject({ result_code: '0000' });
      await addSettlementFault({ psp: 'nova', kind: 'missing_row', merchantReference: missing });
      await addSettlementFault({
        psp: 'nova',
        kind: 'amount_mismatch',
        merchantReference: wrongAmount,
        amountDeltaMinor: -250,
      });

      const date = todayIn('Europe/Berlin');
      const compact = date.replaceAll('-', '');
      const text = await fileText(await download(compact), 'text/csv', `nova_settlement_${compact}.csv`);
      const [header, ...records] = parse(text, { delimiter: ';', relaxColumnCount: true }) as string[][];
      expect(header).toEqual([
        'Buchungstag',
        'Transaktions-ID',
        'Auftragsnummer',
        'Betrag',
        'Waehrung',
        'Zeitpunkt',
      ]);
      const trailer = records.pop();
      const bookingDay = date.split('-').reverse().join('.');
      expect(records.map((record) => record.slice(0, 5))).toEqual([
        [bookingDay, keptTx.tid, kept, '123,45', 'EUR'],
        [bookingDay, cancelledTx.tid, cancelled, '50,00', 'EUR'],
        [bookingDay, cancelledTx.tid, cancelled, '-50,00', 'EUR'],
        [bookingDay, wrongAmountTx.tid, wrongAmount, '7,50', 'EUR'],
      ]);
      for (const record of records)
        expect(record[5]).toMatch(new RegExp(`^${bookingDay.replaceAll('.', '\\.')} \\d\\d:\\d\\d:\\d\\d$`));
      // The fee of the charges listed (290 bps, half up): 358 + 145 + 29 cents; the missing one's is not in it.
      expect(trailer).toEqual(['SUMME', '4', '130,95', '5,32']);
    });

    it('answers errors of a download with the HTTP status of their code', async () => {
      const tomorrow = dayAfter(todayIn('Europe/Berlin')).replaceAll('-', '');
      const future = await download(tomorrow);
      expect(future.status).toBe(400);
      expect(await future.json()).toMatchObject({ result_code: 'E400' });
      const forged = await postForm(
        nova('settlement'),
        novaForm({ settle_date: tomorrow }, { orderNo: 'another date', amt: '0' }),
      );
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ result_code: 'E401' });
      expect((await download('2026-12-07')).status).toBe(400);
    });
  });

  describe('swiftpay', () => {
    const swiftpay = (path: string) => `${sim.pspUrl('swiftpay')}/swiftpay/v2/${path}`;
    const pay = async (orderId: string, amount: number) => {
      const ready = (await (
        await postJson(
          swiftpay('ready'),
          {
            partner_order_id: orderId,
            amount,
            currency: 'KRW',
            account_token: 'tok_approve',
            provider: 'kakaopay',
          },
          SWIFTPAY_HEADERS,
        )
      ).json()) as { tid: string };
      const approved = (await (
        await postJson(swiftpay('approve'), { tid: ready.tid }, SWIFTPAY_HEADERS)
      ).json()) as {
        status: string;
      };
      expect(approved.status).toBe('APPROVED');
      return ready.tid;
    };
    const download = (settleDate: string, headers: Record<string, string> = SWIFTPAY_HEADERS) =>
      fetch(swiftpay(`settlements/${settleDate}`), { headers });

    it('reports the Seoul day in fixed-width records, less a row reported late and with a currency it did not charge', async () => {
      const first = newKey('swift_first');
      const late = newKey('swift_late');
      const wrongCurrency = newKey('swift_currency');
      const firstTid = await pay(first, 10_000);
      await pay(late, 20_000);
      const wrongCurrencyTid = await pay(wrongCurrency, 30_000);
      const partialRefund = await postJson(
        swiftpay('cancel'),
        { tid: firstTid, amount: 4_000 },
        SWIFTPAY_HEADERS,
      );
      expect(partialRefund.status).toBe(200);
      await addSettlementFault({ psp: 'swiftpay', kind: 'late_row', merchantReference: late });
      await addSettlementFault({
        psp: 'swiftpay',
        kind: 'currency_mismatch',
        merchantReference: wrongCurrency,
        currency: 'USD',
      });

      const compact = todayIn('Asia/Seoul').replaceAll('-', '');
      const text = await fileText(
        await download(compact),
        'text/plain',
        `swiftpay_settlement_${compact}.txt`,
      );
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      const [header, ...rest] = lines;
      const trailer = rest.pop() ?? '';
      expect(header?.slice(0, 29)).toBe(`H${compact}swift_mid_test      `);
      expect(header).toHaveLength(43);
      const details = rest.map((line) => {
        expect(line).toHaveLength(141);
        return {
          record: line.slice(0, 2),
          token: line.slice(2, 34).trimEnd(),
          order: line.slice(34, 98).trimEnd(),
          amount: Number(line.slice(98, 113)),
          currency: line.slice(113, 116),
          fee: Number(line.slice(116, 127)),
          day: line.slice(127, 135),
        };
      });
      expect(details).toEqual([
        {
          record: 'DC',
          token: firstTid,
          order: first,
          amount: 10_000,
          currency: 'KRW',
          fee: 320,
          day: compact,
        },
        { record: 'DR', token: firstTid, order: first, amount: 4_000, currency: 'KRW', fee: 0, day: compact },
        {
          record: 'DC',
          token: wrongCurrencyTid,
          order: wrongCurrency,
          amount: 30_000,
          currency: 'USD',
          fee: 960,
          day: compact,
        },
      ]);
      expect(trailer).toBe(
        `T${'3'.padStart(10, '0')}${'40000'.padStart(18, '0')}${'4000'.padStart(18, '0')}${'1280'.padStart(15, '0')}`,
      );

      const tomorrow = dayAfter(todayIn('Asia/Seoul')).replaceAll('-', '');
      const future = await download(tomorrow);
      expect(future.status).toBe(400);
      expect(await future.json()).toEqual({
        error_code: 'SETTLEMENT_NOT_READY',
        error_message: `No settlement file for ${tomorrow} yet (Asia/Seoul)`,
      });
      expect((await download(compact, { 'x-swift-key': 'nope' })).status).toBe(401);
    });

    it('refuses an order id too long for its settlement file', async () => {
      const response = await postJson(
        swiftpay('ready'),
        {
          partner_order_id: 'p'.repeat(65),
          amount: 100,
          currency: 'KRW',
          account_token: 'tok_approve',
          provider: 'kakaopay',
        },
        SWIFTPAY_HEADERS,
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error_code: 'INVALID_REQUEST' });
    });
  });

  describe('admin API', () => {
    it('lists, removes and clears settlement faults; reset clears them too', async () => {
      const share = await addSettlementFault({ psp: 'nova', kind: 'missing_row', share: 0.25, seed: 42 });
      await addSettlementFault({ psp: 'acme', kind: 'late_row', share: 0.5 });
      const listed = (await (await fetch(`${sim.url}/admin/settlement-faults`)).json()) as Record<
        string,
        unknown
      >[];
      expect(listed).toEqual([
        share,
        expect.objectContaining({
          psp: 'acme',
          kind: 'late_row',
          share: 0.5,
          seed: expect.any(Number) as number,
        }),
      ]);
      expect(share).toMatchObject({ psp: 'nova', kind: 'missing_row', share: 0.25, seed: 42 });

      const removed = await fetch(`${sim.url}/admin/settlement-faults/${String(share['id'])}`, {
        method: 'DELETE',
      });
      expect(removed.status).toBe(204);
      const again = await fetch(`${sim.url}/admin/settlement-faults/${String(share['id'])}`, {
        method: 'DELETE',
      });
      expect(again.status).toBe(404);
      expect(await again.json()).toMatchObject({
        type: 'https://keel.dev/problems/psp-sim-settlement-fault-not-found',
      });

      expect((await fetch(`${sim.url}/admin/settlement-faults`, { method: 'DELETE' })).status).toBe(204);
      expect(await (await fetch(`${sim.url}/admin/settlement-faults`)).json()).toEqual([]);
      await addSettlementFault({ psp: 'swiftpay', kind: 'duplicate_row', share: 1 });
      expect((await fetch(`${sim.url}/admin/reset`, { method: 'POST' })).status).toBe(204);
      expect(await (await fetch(`${sim.url}/admin/settlement-faults`)).json()).toEqual([]);
    });

    it('refuses invalid settlement faults as problems', async () => {
      const problemOf = async (fault: Record<string, unknown>) => {
        const response = await postJson(`${sim.url}/admin/settlement-faults`, fault, JSON_HEADERS);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        return { status: response.status, ...((await response.json()) as { type: string; detail: string }) };
      };
      expect(await problemOf({ psp: 'acme', kind: 'missing_row' })).toMatchObject({
        status: 400,
        type: 'https://keel.dev/problems/psp-sim-invalid-settlement-fault',
        detail: expect.stringContaining('either merchantReference or share') as string,
      });
      expect(await problemOf({ psp: 'acme', kind: 'vanished_row', share: 0.1 })).toMatchObject({
        status: 400,
      });
      expect(await problemOf({ psp: 'acme', kind: 'missing_row', share: 1.5 })).toMatchObject({
        status: 400,
      });
      const taken = newKey('taken');
      await addSettlementFault({ psp: 'acme', kind: 'unknown_charge', merchantReference: taken });
      expect(
        await problemOf({ psp: 'acme', kind: 'unknown_charge', merchantReference: taken }),
      ).toMatchObject({
        status: 409,
        type: 'https://keel.dev/problems/psp-sim-merchant-reference-taken',
      });
    });

    it('writes a file to PSP_SIM_SETTLEMENT_DIR on demand, the same as the download', async () => {
      await addSettlementFault({ psp: 'acme', kind: 'unknown_charge' });
      const date = todayIn('UTC');
      const written = await postJson(
        `${sim.url}/admin/settlement-files`,
        { psp: 'acme', date },
        JSON_HEADERS,
      );
      expect(written.status).toBe(201);
      const { path } = (await written.json()) as { path: string };
      expect(path).toBe(join(directory, `acme_settlement_${date}.csv`));
      const downloaded = await (
        await fetch(`${sim.pspUrl('acme')}/acme/v1/settlements/${date}`, { headers: ACME_HEADERS })
      ).text();
      expect(await readFile(path, 'utf8')).toBe(downloaded);
      expect(downloaded.split('\n')).toHaveLength(3);

      const future = await postJson(
        `${sim.url}/admin/settlement-files`,
        { psp: 'acme', date: dayAfter(date) },
        JSON_HEADERS,
      );
      expect(future.status).toBe(400);
      expect(await future.json()).toMatchObject({
        type: 'https://keel.dev/problems/psp-sim-settlement-date-in-future',
      });
      const invalid = await postJson(
        `${sim.url}/admin/settlement-files`,
        { psp: 'acme', date: '2026-02-30' },
        JSON_HEADERS,
      );
      expect(invalid.status).toBe(400);
    });

    it('refuses to write a file without PSP_SIM_SETTLEMENT_DIR', async () => {
      const withoutFolder = await startSimulator();
      try {
        const response = await postJson(
          `${withoutFolder.url}/admin/settlement-files`,
          { psp: 'nova', date: todayIn('Europe/Berlin') },
          JSON_HEADERS,
        );
        expect(response.status).toBe(409);
        expect(await response.json()).toMatchObject({
          type: 'https://keel.dev/problems/psp-sim-settlement-dir-unset',
        });
      } finally {
        await withoutFolder.close();
      }
    });
  });
});

describe('psp-sim settlement faults on a full simulator', () => {
  let sim: RunningPspSim;

  beforeAll(async () => {
    sim = await startSimulator({ PSP_SIM_MAX_CHARGES: '1' });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('refuses an unknown charge it has no room for with 409 problem+json, not a 500', async () => {
    const headers = { 'Content-Type': 'application/json' };
    const first = await postJson(
      `${sim.url}/admin/settlement-faults`,
      { psp: 'acme', kind: 'unknown_charge' },
      headers,
    );
    expect(first.status).toBe(201);
    const second = await postJson(
      `${sim.url}/admin/settlement-faults`,
      { psp: 'acme', kind: 'unknown_charge' },
      headers,
    );
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    expect(await second.json()).toMatchObject({ type: 'https://keel.dev/problems/psp-sim-full' });
  });
});
