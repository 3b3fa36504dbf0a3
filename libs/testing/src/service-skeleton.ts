import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { operatorAuthorization } from './operator-authorization';
import { waitFor } from './wait-for';

/** A running service as a test sees it (a ServiceUnderTest, whatever its environment). */
interface RunningService {
  readonly app: INestApplication;
  readonly baseUrl: string;
}

/** The tables of the service's database, public schema: what its migrations made. */
export async function tablesOf(service: RunningService): Promise<string[]> {
  const rows = (await service.app
    .get(DataSource)
    .query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) as {
    table_name: string;
  }[];
  return rows.map((row) => row.table_name);
}

/**
 * What every Keel service answers on its own: liveness at once, then readiness (both open to
 * probes), and its metrics (to an operator).
 */
export async function healthAndMetricsOf(
  service: RunningService,
): Promise<{ readonly liveStatus: number; readonly metrics: string }> {
  const liveStatus = (await fetch(`${service.baseUrl}/health/live`)).status;
  await waitFor(async () => (await fetch(`${service.baseUrl}/health/ready`)).status === 200, {
    description: 'the service ready',
  });
  const metrics = await (
    await fetch(`${service.baseUrl}/metrics`, { headers: { authorization: operatorAuthorization('viewer') } })
  ).text();
  return { liveStatus, metrics };
}
