import { DataSource } from 'typeorm';
import { LOCAL_OPERATOR_TOKEN_SECRET, mintOperatorToken, type OperatorRole } from '@keel/operator-auth';
import { operatorAuthorization } from '@keel/testing';
import { startExecutorHarness, type ExecutorHarness, type RouteInput } from '../../test/executor-harness';

jest.setTimeout(60_000);

const ROUTES: readonly RouteInput[] = [
  { methodType: 'bank_transfer', provider: '*', pspId: 'nova', weight: 100, enabled: true },
  { methodType: 'card', provider: '*', pspId: 'acme', weight: 70, enabled: true },
  { methodType: 'card', provider: '*', pspId: 'nova', weight: 30, enabled: true },
  { methodType: 'easy_pay', provider: '*', pspId: 'swiftpay', weight: 100, enabled: true },
];

let harness: ExecutorHarness;

beforeAll(async () => {
  harness = await startExecutorHarness({ databaseName: 'executor_operator_access' });
});

afterAll(async () => {
  await harness?.stop();
});

interface AuditRow {
  actor: string;
  role: string;
  token_id: string;
  action: string;
  target: string;
  correlation_id: string | null;
  status: number;
}

const auditRows = async (): Promise<AuditRow[]> =>
  (await harness.app
    .get(DataSource)
    .query(
      'SELECT actor, role, token_id, action, target, correlation_id, status FROM operator_audit ORDER BY id',
    )) as AuditRow[];

/** A token whose id the test knows, as `npm run operator -- token` makes them. */
function operatorToken(role: OperatorRole): { authorization: string; tokenId: string } {
  const { token, claims } = mintOperatorToken(
    { name: 'ana', role, ttlHours: 1 },
    { secret: LOCAL_OPERATOR_TOKEN_SECRET, maxTtlHours: 1, clockSkewS: 0 },
    new Date(),
  );
  return { authorization: `Bearer ${token}`, tokenId: claims.jti };
}

function putRoutes(
  routes: readonly RouteInput[],
  authorization: string | undefined,
  correlationId = 'routes-change',
): Promise<Response> {
  return fetch(`${harness.baseUrl}/v1/routes`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      'x-correlation-id': correlationId,
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({ routes }),
  });
}

async function expectProblem(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(await response.json()).toMatchObject({ type: `https://keel.dev/problems/${code}`, status });
}

describe('the executor’s operator surfaces', () => {
  it('answer 401 with the operator challenge to a request without an operator token', async () => {
    for (const path of ['/v1/routes', '/v1/payment-orders/po_missing', '/metrics']) {
      const response = await fetch(`${harness.baseUrl}${path}`);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keel-operator"');
      await expectProblem(response, 401, 'operator_unauthenticated');
    }
    await expectProblem(await putRoutes(ROUTES, undefined), 401, 'operator_unauthenticated');
  });

  it('let a viewer read routes, orders and metrics, and not replace the routes', async () => {
    const viewer = { authorization: operatorAuthorization('viewer') };
    const routes = await fetch(`${harness.baseUrl}/v1/routes`, { headers: viewer });
    expect(routes.status).toBe(200);
    expect(((await routes.json()) as { routes: RouteInput[] }).routes).toEqual(ROUTES);
    const order = await fetch(`${harness.baseUrl}/v1/payment-orders/po_missing`, { headers: viewer });
    await expectProblem(order, 404, 'payment_order_not_found');
    const metrics = await fetch(`${harness.baseUrl}/metrics`, { headers: viewer });
    expect(metrics.status).toBe(200);
    await metrics.text();
    const refused = await putRoutes(ROUTES, viewer.authorization);
    await expectProblem(refused, 403, 'operator_forbidden');
    expect(await auditRows()).toEqual([]);
  });

  it('let an operator replace the routes, and record each write with its actor and outcome', async () => {
    const operator = operatorToken('operator');
    const reweighted = ROUTES.map((route) =>
      route.pspId === 'acme'
        ? { ...route, weight: 50 }
        : route.pspId === 'nova' && route.methodType === 'card'
          ? { ...route, weight: 50 }
          : route,
    );
    const replaced = await putRoutes(reweighted, operator.authorization, 'routes-change-1');
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as { routes: RouteInput[] }).routes).toEqual(reweighted);
    const invalid = await putRoutes(
      [{ methodType: 'card', provider: '*', pspId: 'nowhere', weight: 1, enabled: true }],
      operator.authorization,
      'routes-change-2',
    );
    await expectProblem(invalid, 422, 'invalid_routes');
    const admin = operatorToken('admin');
    expect((await putRoutes(ROUTES, admin.authorization, 'routes-change-3')).status).toBe(200);

    expect(await auditRows()).toEqual([
      {
        actor: 'ana',
        role: 'operator',
        token_id: operator.tokenId,
        action: 'routes.replace',
        target: 'routes',
        correlation_id: 'routes-change-1',
        status: 200,
      },
      {
        actor: 'ana',
        role: 'operator',
        token_id: operator.tokenId,
        action: 'routes.replace',
        target: 'routes',
        correlation_id: 'routes-change-2',
        status: 422,
      },
      {
        actor: 'ana',
        role: 'admin',
        token_id: admin.tokenId,
        action: 'routes.replace',
        target: 'routes',
        correlation_id: 'routes-change-3',
        status: 200,
      },
    ]);
  });
});
