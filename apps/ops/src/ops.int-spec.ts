import { DataSource } from 'typeorm';
import { waitFor } from '@keel/testing';
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
    const tables = (await service.app
      .get(DataSource)
      .query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) as {
      table_name: string;
    }[];
    expect(tables.map((table) => table.table_name)).toEqual(
      expect.arrayContaining(['inbox', 'migrations', 'outbox']),
    );
  });

  it('answers liveness, readiness and metrics under its own name', async () => {
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
    await waitFor(async () => (await fetch(`${service.baseUrl}/health/ready`)).status === 200, {
      description: 'ops ready',
    });
    const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
    expect(metrics).toContain('service="ops"');
  });
});
