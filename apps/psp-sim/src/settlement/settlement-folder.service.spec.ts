import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@keel/observability';
import { SeededRandom } from '@keel/seeded-random';
import { waitFor } from '@keel/testing';
import { ChargeStore, PSP_IDS, SettlementFaults, Settlements } from '@keel/psp-sim-domain';
import { ManualScheduler, sequentialIds, testFees } from '@keel/psp-sim-domain/testing';
import { loadPspSimEnvironment } from '../psp-sim.environment';
import { SettlementFolder } from './settlement-folder.service';

describe('SettlementFolder', () => {
  let directory: string;
  let scheduler: ManualScheduler;
  let store: ChargeStore;
  let folder: SettlementFolder;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'psp-sim-settlement-'));
    // One minute before the UTC day (acme's) ends; Berlin's and Seoul's have ended already.
    scheduler = new ManualScheduler(Date.parse('2026-12-07T23:59:00Z'));
    const ids = sequentialIds();
    store = new ChargeStore({ maxCharges: 10, feeBasisPoints: testFees(), ids });
    const faults = new SettlementFaults({
      maxFaults: 10,
      newId: ids.faultId,
      random: new SeededRandom(1).next,
    });
    const settlements = new Settlements({
      store,
      faults,
      swiftpayMerchantId: 'swift_mid_test',
      newMerchantReference: ids.unknownChargeReference,
    });
    const environment = loadPspSimEnvironment({ KEEL_PROFILE: 'local', PSP_SIM_SETTLEMENT_DIR: directory });
    const logger = createLogger({ service: 'psp-sim', level: 'silent' });
    folder = new SettlementFolder(settlements, scheduler, environment, logger);
  });

  afterEach(async () => {
    await folder.beforeApplicationShutdown();
    await rm(directory, { recursive: true, force: true });
  });

  /** The folder's files once `name` is there whole (a PSP generated since may add its own). */
  function written(name: string): Promise<string[]> {
    return waitFor(
      async () => {
        const names = (await readdir(directory)).sort();
        return names.includes(name) && names;
      },
      { timeoutMs: 1_000, intervalMs: 10, description: `${name} in ${directory}` },
    );
  }

  it("writes each PSP's file once its day ends in its zone, then waits for the next day's end", async () => {
    store.submit(
      {
        psp: 'acme',
        idempotencyKey: 'po_1',
        amountMinor: 10_000n,
        currency: 'KRW',
        method: 'card',
        issuer: undefined,
        instrumentToken: 'tok_approve',
        reference: undefined,
        fingerprint: 'po_1',
        twoStep: false,
      },
      Date.parse('2026-12-07T12:00:00Z'),
    );
    folder.onApplicationBootstrap();
    expect(scheduler.scheduledCount).toBe(PSP_IDS.length);
    scheduler.advance(59_999);
    expect(await readdir(directory)).toEqual([]);
    scheduler.advance(1);
    const atUtcMidnight = await written('acme_settlement_2026-12-07.csv');
    expect(atUtcMidnight).not.toContain('swiftpay_settlement_20261208.txt');
    expect(atUtcMidnight).not.toContain('nova_settlement_20261208.csv');
    expect(await readFile(join(directory, 'acme_settlement_2026-12-07.csv'), 'utf8')).toBe(
      'settlement_date,psp_reference,merchant_reference,type,amount_minor,currency,fee_minor,event_time\n' +
        '2026-12-07,acme-charge-1,po_1,charge,10000,KRW,250,2026-12-07T12:00:00.000Z\n',
    );
    expect(scheduler.scheduledCount).toBe(PSP_IDS.length);
    // Seoul's 8 December ends at 15:00 UTC, Berlin's at 23:00 UTC.
    scheduler.advance(15 * 3_600_000);
    const atSeoulMidnight = await written('swiftpay_settlement_20261208.txt');
    expect(atSeoulMidnight).not.toContain('nova_settlement_20261208.csv');
    expect(atSeoulMidnight).not.toContain('acme_settlement_2026-12-08.csv');
    scheduler.advance(8 * 3_600_000);
    await written('nova_settlement_20261208.csv');
  });

  it('writes a day on demand, and none for a day that has not begun', async () => {
    expect(await folder.write('nova', '2026-12-07')).toBe(join(directory, 'nova_settlement_20261207.csv'));
    expect(await readFile(join(directory, 'nova_settlement_20261207.csv'), 'utf8')).toBe(
      'Buchungstag;Transaktions-ID;Auftragsnummer;Betrag;Waehrung;Zeitpunkt\nSUMME;0;0;0\n',
    );
    expect(await folder.write('acme', '2026-12-08')).toBeUndefined();
    expect(await readdir(directory)).toEqual(['nova_settlement_20261207.csv']);
  });
});
