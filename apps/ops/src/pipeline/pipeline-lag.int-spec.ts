import { freePort } from '@keel/local-system';
import { sumOfMetric } from '@keel/observability';
import { DEFAULT_DETECTION_RULES } from '@keel/ops-domain';
import { operatorAuthorization, waitFor } from '@keel/testing';
import { startOps, type OpsUnderTest } from '../../test/ops-harness';
import { ServiceMetricsEndpoint } from '../../test/service-metrics-endpoint';
import type { IncidentWithUpdates } from '../incidents/incident';

jest.setTimeout(120_000);

const PIPELINE_LAG = DEFAULT_DETECTION_RULES.find((rule) => rule.kind === 'pipeline_lag');

let ops: OpsUnderTest;
let ledger: ServiceMetricsEndpoint;
let bloated: ServiceMetricsEndpoint;

const RESPONSE_BYTES_MAX = 4_096;

beforeAll(async () => {
  ledger = await ServiceMetricsEndpoint.start();
  // Over the threshold, but its answer is larger than ops reads.
  bloated = await ServiceMetricsEndpoint.start();
  bloated.figures = { outboxBacklogRows: 50_000, consumerLagRecords: [] };
  bloated.paddingBytes = RESPONSE_BYTES_MAX;
  // Nothing listens there: a service that does not answer.
  const silentPort = await freePort();
  ops = await startOps({
    OPS_PIPELINE_TARGETS: [
      `ledger=${ledger.baseUrl}/`,
      `bloated=${bloated.baseUrl}`,
      `silent=http://127.0.0.1:${silentPort}`,
    ].join(','),
    OPS_PIPELINE_SCRAPE_INTERVAL_MS: '500',
    OPS_PIPELINE_SCRAPE_TIMEOUT_MS: '500',
    OPS_PIPELINE_RESPONSE_BYTES_MAX: String(RESPONSE_BYTES_MAX),
    OPS_DETECTION_INTERVAL_MS: '200',
    // pipeline-lag rules only alert; no executor is called.
    OPS_EXECUTOR_URL: `http://127.0.0.1:${silentPort}`,
  });
});

afterAll(async () => {
  await ops?.stop();
  await ledger?.stop();
  await bloated?.stop();
});

async function opsGet(path: string): Promise<Response> {
  return fetch(`${ops.baseUrl}${path}`, { headers: { authorization: operatorAuthorization('viewer') } });
}

async function incidentOf(scopeKey: string): Promise<IncidentWithUpdates | undefined> {
  const list = (await (await opsGet('/v1/ops/incidents')).json()) as IncidentWithUpdates[];
  const found = list.find((incident) => incident.scopeKey === scopeKey);
  return found === undefined
    ? undefined
    : ((await (await opsGet(`/v1/ops/incidents/${found.id}`)).json()) as IncidentWithUpdates);
}

/** Reads of the ledger's /metrics from now on: ops has seen what it serves now, and detection run on it. */
async function readsSince(reads: number, more: number): Promise<void> {
  await waitFor(() => ledger.readers.length >= reads + more, {
    description: `${more} more reads of /metrics`,
  });
}

describe("ops reads the services' pipeline from their /metrics", () => {
  it('has the default pipeline-lag rule this spec drives', () => {
    expect(PIPELINE_LAG).toMatchObject({ id: 'pipeline-lag', threshold: 10_000, response: 'alert_only' });
  });

  it('opens no incident while the backlog plus lag stays at the threshold', async () => {
    ledger.figures = { outboxBacklogRows: 4_000, consumerLagRecords: [3_000, 3_000] };
    await readsSince(ledger.readers.length, 4);
    expect(await incidentOf('service:ledger')).toBeUndefined();
    expect(ledger.readers.every((reader) => reader.name === 'keel-ops' && reader.role === 'viewer')).toBe(
      true,
    );
  });

  it('opens an incident on the service once outbox backlog plus consumer lag is over the threshold', async () => {
    ledger.figures = { outboxBacklogRows: 4_000, consumerLagRecords: [3_000, 3_000, 1] };
    const incident = await waitFor(() => incidentOf('service:ledger'), {
      description: 'an incident on service:ledger',
    });
    expect(incident).toMatchObject({
      scopeKey: 'service:ledger',
      status: 'open',
      rule: { id: 'pipeline-lag', kind: 'pipeline_lag', response: 'alert_only' },
      observed: 10_001,
      threshold: 10_000,
      mitigation: null,
    });
  });

  it('recovers the incident when the backlog drains', async () => {
    ledger.figures = { outboxBacklogRows: 0, consumerLagRecords: [0, 0, 0] };
    const recovered = await waitFor(
      async () => {
        const incident = await incidentOf('service:ledger');
        return incident?.status === 'recovered' ? incident : undefined;
      },
      { description: 'service:ledger recovered' },
    );
    expect(recovered.updates.map((update) => update.kind)).toEqual(
      expect.arrayContaining(['opened', 'recovered']),
    );
    expect(recovered.postMortem.recoveredAt).not.toBeNull();
  });

  it('gives no reading, so no incident, for a service that does not answer or answers too much, and counts it', async () => {
    const metrics = await (await opsGet('/metrics')).text();
    const failuresOf = (target: string): number | undefined =>
      sumOfMetric(
        metrics
          .split('\n')
          .filter((line) => line.includes(`target="${target}"`))
          .join('\n'),
        'keel_ops_pipeline_scrape_failures_total',
      );
    expect(failuresOf('silent')).toBeGreaterThan(0);
    expect(failuresOf('bloated')).toBeGreaterThan(0);
    expect(failuresOf('ledger')).toBeUndefined();
    expect(bloated.readers.length).toBeGreaterThan(0);
    expect(await incidentOf('service:silent')).toBeUndefined();
    expect(await incidentOf('service:bloated')).toBeUndefined();
  });
});
