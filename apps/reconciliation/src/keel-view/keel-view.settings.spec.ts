import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { DEFAULT_PSP_FEE_CONTRACTS } from '@keel/reconciliation-domain';
import { ReconciliationEnvironment } from '../reconciliation.environment';
import { keelViewSettingsOf } from './keel-view.settings';

const REQUIRED = {
  PORT: '3005',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_reconciliation',
  KAFKA_BROKERS: '127.0.0.1:19092',
  KEEL_PROFILE: 'local',
};

describe("Keel's view's settings", () => {
  it('take the PSP fee contracts of psp-sim, a fetch of 1,000 rows and a 30 s catch-up by default', () => {
    expect(keelViewSettingsOf(loadEnvironment(ReconciliationEnvironment, REQUIRED))).toEqual({
      feeContracts: DEFAULT_PSP_FEE_CONTRACTS,
      fetchRows: 1_000,
      catchUp: { timeoutMs: 30_000, pollIntervalMs: 250 },
    });
  });

  it('read configured contracts, fetch size and catch-up', () => {
    const environment = loadEnvironment(ReconciliationEnvironment, {
      ...REQUIRED,
      RECON_PSP_FEE_CONTRACTS: '{"acme":180,"nova":0,"swiftpay":9999}',
      RECON_VIEW_FETCH_ROWS: '50',
      RECON_VIEW_CATCH_UP_TIMEOUT_MS: '0',
      RECON_VIEW_CATCH_UP_POLL_MS: '100',
    });
    expect(keelViewSettingsOf(environment)).toEqual({
      feeContracts: { acme: { basisPoints: 180 }, nova: { basisPoints: 0 }, swiftpay: { basisPoints: 9999 } },
      fetchRows: 50,
      catchUp: { timeoutMs: 0, pollIntervalMs: 100 },
    });
  });

  it.each([
    ['a PSP missing', '{"acme":250,"nova":290}'],
    ['an unknown PSP', '{"acme":250,"nova":290,"swiftpay":320,"other":1}'],
    ['a fraction of a basis point', '{"acme":2.5,"nova":290,"swiftpay":320}'],
    ['not JSON', 'acme=250'],
  ])('refuse contracts with %s', (_, contracts) => {
    expect(() =>
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, RECON_PSP_FEE_CONTRACTS: contracts }),
    ).toThrow(/RECON_PSP_FEE_CONTRACTS must be a JSON object of every PSP/);
  });

  it('refuse a fetch of no rows', () => {
    expect(() =>
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, RECON_VIEW_FETCH_ROWS: '0' }),
    ).toThrow(EnvironmentError);
  });
});
