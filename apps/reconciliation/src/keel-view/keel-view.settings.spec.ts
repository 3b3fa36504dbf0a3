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
  it('take the PSP fee contracts of psp-sim and a fetch of 1,000 rows by default', () => {
    expect(keelViewSettingsOf(loadEnvironment(ReconciliationEnvironment, REQUIRED))).toEqual({
      feeContracts: DEFAULT_PSP_FEE_CONTRACTS,
      fetchRows: 1_000,
    });
  });

  it('read configured contracts and fetch size', () => {
    const environment = loadEnvironment(ReconciliationEnvironment, {
      ...REQUIRED,
      RECON_PSP_FEE_CONTRACTS: '{"acme":180,"nova":0,"swiftpay":9999}',
      RECON_VIEW_FETCH_ROWS: '50',
    });
    expect(keelViewSettingsOf(environment)).toEqual({
      feeContracts: { acme: { basisPoints: 180 }, nova: { basisPoints: 0 }, swiftpay: { basisPoints: 9999 } },
      fetchRows: 50,
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
