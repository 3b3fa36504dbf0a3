import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildEnvelope, parseTraceparent, toKafkaRecord, type EventTypeRegistry } from '@keel/contracts';
import { headerAsString } from '@keel/messaging';
import {
  createTestDatabase,
  createTestTopics,
  operatorAuthorization,
  TopicReader,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from '@keel/testing';
import { loadEnvironment, ServiceEnvironment } from '../src/service-environment';
import { runService } from '../src/run-service';
import { PING_ECHOED, PING_SENT, pingModule, pingRegistry } from './ping.service';

jest.setTimeout(60_000);

/** The service runs without KEEL_PROFILE=local, so with an operator secret of its own. */
const OPERATOR_TOKEN_SECRET = 'an-operator-token-secret-of-32-characters';

let database: TestDatabase;
let topics: TestTopics;
let app: INestApplication;
let baseUrl: string;
let registry: EventTypeRegistry;

beforeAll(async () => {
  database = await createTestDatabase('platform');
  // One partition: events sent together are read in their order, sharing chunks.
  topics = await createTestTopics(['ping'], 1);
  const environment = loadEnvironment(ServiceEnvironment, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    OPERATOR_TOKEN_SECRET,
    KAFKA_BROKERS: topics.brokers.join(','),
    LOG_LEVEL: 'warn',
  });
  registry = pingRegistry(topics.names['ping'] ?? '');
  app = await runService(pingModule(environment, registry), environment);
  baseUrl = await app.getUrl();
});

afterAll(async () => {
  await app.close();
  await database.drop();
  await topics.delete();
});

describe('a Keel service on real PostgreSQL and Kafka', () => {
  it('migrates its own database at start, outbox and inbox first', async () => {
    const dataSource = app.get(DataSource);
    const tables = (await dataSource.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    )) as { table_name: string }[];
    expect(tables.map((table) => table.table_name)).toEqual([
      'inbox',
      'migrations',
      'outbox',
      'pings',
      'pongs',
    ]);
  });

  it('answers liveness, readiness with its checks, and metrics', async () => {
    const live = await fetch(`${baseUrl}/health/live`);
    expect(live.status).toBe(200);
    const ready = await waitFor(
      async () => {
        const response = await fetch(`${baseUrl}/health/ready`);
        return response.status === 200 && ((await response.json()) as { checks: Record<string, string> });
      },
      { description: 'readiness' },
    );
    expect(ready.checks).toEqual(expect.objectContaining({ postgres: 'up', kafka: 'up' }));
    const metrics = await (
      await fetch(`${baseUrl}/metrics`, {
        headers: { authorization: operatorAuthorization('viewer', { secret: OPERATOR_TOKEN_SECRET }) },
      })
    ).text();
    expect(metrics).toContain('keel_outbox_published_total');
    expect(metrics).toContain('service="ping"');
  });

  it('keeps /metrics for operators (401 problem+json with the operator challenge otherwise) and the probes open', async () => {
    for (const authorization of [
      undefined,
      'Bearer sk_test_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
      operatorAuthorization('admin', { secret: `${OPERATOR_TOKEN_SECRET}-of-another-deployment` }),
    ]) {
      const refused = await fetch(`${baseUrl}/metrics`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="keel-operator"');
      const problem = (await refused.json()) as { type: string; status: number };
      expect(problem).toMatchObject({
        type: 'https://keel.dev/problems/operator_unauthenticated',
        status: 401,
      });
    }
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const allowed = await fetch(`${baseUrl}/metrics`, {
        headers: { authorization: operatorAuthorization(role, { secret: OPERATOR_TOKEN_SECRET }) },
      });
      expect(allowed.status).toBe(200);
      await allowed.text();
    }
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
  });

  it('carries the trace of an HTTP request into the event on Kafka and into the handler', async () => {
    const reader = await TopicReader.start(topics.kafka, topics.names['ping'] ?? '');
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const response = await fetch(`${baseUrl}/v1/pings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        body: JSON.stringify({ pingId: 'ping-1' }),
      });
      expect(response.status).toBe(201);
      expect(parseTraceparent(response.headers.get('traceparent') ?? '')?.traceId).toBe(traceId);

      const [record] = await reader.waitForCount(1);
      expect(parseTraceparent(headerAsString(record?.headers['traceparent']))?.traceId).toBe(traceId);

      const dataSource = app.get(DataSource);
      const pong = await waitFor(
        async () => {
          const rows = (await dataSource.query("SELECT traceparent FROM pongs WHERE ping_id = 'ping-1'")) as {
            traceparent: string;
          }[];
          return rows[0];
        },
        { description: 'the event handled by the @EventPattern method' },
      );
      expect(parseTraceparent(pong.traceparent)?.traceId).toBe(traceId);
    } finally {
      await reader.stop();
    }
  });

  it('rejects invalid input with problem+json and stores nothing', async () => {
    const response = await fetch(`${baseUrl}/v1/pings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pingId: '', extra: true }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field).sort()).toEqual(['extra', 'pingId']);
    const dataSource = app.get(DataSource);
    const [count] = (await dataSource.query("SELECT count(*)::int AS n FROM pings WHERE ping_id = ''")) as {
      n: number;
    }[];
    expect(count?.n).toBe(0);
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await fetch(`${baseUrl}/v1/pings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pingId: 'x'.repeat(200_000) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { type: string }).type).toBe(
      'https://keel.dev/problems/payload-too-large',
    );
  });

  it("answers a body that is not JSON, or too large, with Keel's problem and the request's correlation id", async () => {
    const post = (body: string) =>
      fetch(`${baseUrl}/v1/pings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'checkout-42' },
        body,
      });
    const malformed = await post('{"pingId": "4111111111111111",');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect(malformed.headers.get('x-correlation-id')).toBe('checkout-42');
    expect(await malformed.json()).toEqual({
      type: 'https://keel.dev/problems/malformed-body',
      title: 'Malformed body',
      status: 400,
      detail: 'The body is not valid JSON.',
      code: 'malformed-body',
      correlationId: 'checkout-42',
    });
    const oversized = await post(JSON.stringify({ pingId: 'x'.repeat(200_000) }));
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toMatchObject({
      type: 'https://keel.dev/problems/payload-too-large',
      correlationId: 'checkout-42',
    });
  });

  it('refuses a body nested deeper than HTTP_BODY_DEPTH_MAX with 400 body-too-deep, before any code walks it', async () => {
    const post = (body: string) =>
      fetch(`${baseUrl}/v1/pings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const deep = await post(`{"pingId":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.headers.get('content-type')).toContain('application/problem+json');
    expect(await deep.json()).toMatchObject({
      type: 'https://keel.dev/problems/body-too-deep',
      status: 400,
      depthMax: 32,
      correlationId: expect.any(String),
    });
    const atTheLimit = await post(`{"pingId":${'['.repeat(31)}${']'.repeat(31)}}`);
    expect(atTheLimit.status).toBe(400);
    expect(((await atTheLimit.json()) as { type: string }).type).toBe(
      'https://keel.dev/problems/validation-failed',
    );
  });

  it('answers every request with the security headers and without X-Powered-By, errors and 413 included', async () => {
    const answers = [
      await fetch(`${baseUrl}/health/live`),
      await fetch(`${baseUrl}/v1/unknown`),
      await fetch(`${baseUrl}/v1/pings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pingId: '' }),
      }),
      await fetch(`${baseUrl}/v1/pings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pingId: 'x'.repeat(200_000) }),
      }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 404, 400, 413]);
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-security-policy')).toMatch(/^default-src 'none'; /);
      expect(answer.headers.get('x-powered-by')).toBeNull();
    }
    const docs = await fetch(`${baseUrl}/docs/swagger-ui-init.js`);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('hands a method that names two types their interleaved events together, each once, in offset order', async () => {
    const topic = topics.names['ping'] ?? '';
    const events = Array.from({ length: 20 }, (_, index) =>
      buildEnvelope(
        {
          type: index % 2 === 0 ? PING_SENT : PING_ECHOED,
          source: '/keel/test',
          data: { pingId: `mixed-${index}` },
        },
        registry,
      ),
    );
    const producer = topics.kafka.producer();
    await producer.connect();
    try {
      // One send to the one partition: the consumer reads the types alternating, in chunks.
      await producer.send(events.map((event) => ({ topic, ...toKafkaRecord(event) })));
    } finally {
      await producer.disconnect();
    }

    const dataSource = app.get(DataSource);
    const pongs = await waitFor(
      async () => {
        const rows = (await dataSource.query(
          `SELECT ping_id, event_type, call_id, position FROM pongs
            WHERE ping_id LIKE 'mixed-%' ORDER BY call_id, position`,
        )) as { ping_id: string; event_type: string; call_id: string; position: string }[];
        return rows.length >= events.length && rows;
      },
      { description: 'every mixed event handled' },
    );
    expect(pongs.map((pong) => pong.ping_id).sort()).toEqual(events.map((event) => event.data.pingId).sort());
    expect(pongs.map((pong) => pong.event_type)).toEqual(
      pongs.map((pong) => events.find((event) => event.data.pingId === pong.ping_id)?.type),
    );
    const calls = new Map<string, string[]>();
    for (const pong of pongs) calls.set(pong.call_id, [...(calls.get(pong.call_id) ?? []), pong.ping_id]);
    const sentOrder = events.map((event) => event.data.pingId);
    for (const pingIds of calls.values()) {
      expect(pingIds).toEqual(
        [...pingIds].sort((left, right) => sentOrder.indexOf(left) - sentOrder.indexOf(right)),
      );
    }
    const mixedCalls = [...calls.values()].filter(
      (pingIds) => new Set(pingIds.map((pingId) => sentOrder.indexOf(pingId) % 2)).size === 2,
    );
    expect(mixedCalls.length).toBeGreaterThan(0);
  });
});
