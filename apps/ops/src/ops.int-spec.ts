import { healthAndMetricsOf, tablesOf } from '@keel/testing';
import { startOps, type OpsUnderTest } from '../test/ops-harness';

jest.setTimeout(60_000);

let service: OpsUnderTest;

beforeAll(async () => {
  service = await startOps();
});

afterAll(async () => {
  await service?.stop();
});

describe('the ops service on the real PostgreSQL and Kafka', () => {
  it('migrates its own database at start', async () => {
    expect(await tablesOf(service)).toEqual(expect.arrayContaining(['inbox', 'migrations', 'outbox']));
  });

  it('answers liveness, readiness and metrics under its own name', async () => {
    const { liveStatus, metrics } = await healthAndMetricsOf(service);
    expect(liveStatus).toBe(200);
    expect(metrics).toContain('service="ops"');
  });
});
