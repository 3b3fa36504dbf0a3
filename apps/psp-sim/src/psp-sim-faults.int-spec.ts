import {
  ACME_HEADERS,
  addFault,
  adminCharges,
  newKey,
  novaForm,
  postForm,
  postJson,
  startSimulator,
} from '../test/psp-sim-harness';
import { waitFor } from '@keel/testing';
import type { RunningPspSim } from './run-psp-sim';

jest.setTimeout(60_000);

const HANG_MS = 1_000;

/** Faults over real HTTP: what a client of a failing PSP sees, and what the PSP really did. */
describe('psp-sim faults', () => {
  let sim: RunningPspSim;

  beforeAll(async () => {
    sim = await startSimulator({ PSP_SIM_HANG_MS: String(HANG_MS) });
  });

  afterEach(async () => {
    expect((await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' })).status).toBe(204);
  });

  afterAll(async () => {
    await sim.close();
  });

  function charge(key: string, options: { issuer?: string; signal?: AbortSignal; baseUrl?: string } = {}) {
    const body = {
      amount: 1000,
      currency: 'USD',
      source: 'tok_approve',
      ...(options.issuer ? { issuer: options.issuer } : {}),
    };
    const baseUrl = options.baseUrl ?? sim.pspUrl('acme');
    return postJson(
      `${baseUrl}/acme/v1/charges`,
      body,
      { ...ACME_HEADERS, 'idempotency-key': key },
      options.signal,
    );
  }

  async function failureOf(request: Promise<Response>): Promise<{ name?: string; code?: string }> {
    const error = await request.then(
      () => undefined,
      (caught: unknown) => caught as Error & { cause?: { code?: string } },
    );
    if (error === undefined) throw new Error('expected the request to fail');
    return { name: error.name, code: error.cause?.code };
  }

  it('errorRate 1 answers 503 before processing: nothing is charged', async () => {
    await addFault(sim, { psp: 'acme', errorRate: 1 });
    const key = newKey('error');
    expect((await charge(key)).status).toBe(503);
    expect(await adminCharges(sim, key)).toEqual([]);
  });

  it('targets faults by issuer', async () => {
    await addFault(sim, { psp: 'acme', method: 'card', issuer: 'shinhan', errorRate: 1 });
    expect((await charge(newKey('shinhan'), { issuer: 'shinhan' })).status).toBe(503);
    expect((await charge(newKey('kb'), { issuer: 'kb' })).status).toBe(200);
  });

  /** A nova card payment by `issuer` (a field nova takes beside its contract for drills). */
  function novaPayment(orderNo: string, issuer: string) {
    const form = novaForm(
      { order_no: orderNo, amt: '1000', cur: 'KRW', pay_type: 'card', card_token: 'tok_approve', issuer },
      { orderNo, amt: '1000' },
    );
    return postForm(`${sim.pspUrl('nova')}/nova/api/payment`, form);
  }

  it("an issuer's fault without a psp strikes that issuer at every PSP, and no other issuer", async () => {
    await addFault(sim, { issuer: 'shinhan', errorRate: 1 });
    expect((await charge(newKey('acme-shinhan'), { issuer: 'shinhan' })).status).toBe(503);
    expect((await novaPayment(newKey('nova-shinhan'), 'shinhan')).status).toBe(503);
    expect((await charge(newKey('acme-kb'), { issuer: 'kb' })).status).toBe(200);
    expect(await (await novaPayment(newKey('nova-kb'), 'kb')).json()).toMatchObject({ result_code: '0000' });
  });

  it('declineRate makes the issuer decline at every PSP with its message; the PSP records the decline', async () => {
    await addFault(sim, { issuer: 'shinhan', declineRate: 1, declineMessage: 'Issuer unavailable' });
    const acmeKey = newKey('acme-declined');
    const acme = await charge(acmeKey, { issuer: 'shinhan' });
    expect(acme.status).toBe(200);
    expect(await acme.json()).toMatchObject({
      status: 'declined',
      failure_code: 'do_not_honor',
      failure_message: 'Issuer unavailable',
    });
    expect(await adminCharges(sim, acmeKey)).toEqual([
      expect.objectContaining({ status: 'declined', issuer: 'shinhan', attempts: 1 }),
    ]);
    const nova = await novaPayment(newKey('nova-declined'), 'shinhan');
    expect(await nova.json()).toMatchObject({ result_code: 'D005', result_msg: 'Issuer unavailable' });
    expect(await (await charge(newKey('acme-kb'), { issuer: 'kb' })).json()).toMatchObject({
      status: 'succeeded',
    });

    // Lifted: the issuer approves again; a charge it declined stays declined on replay.
    await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' });
    expect(await (await charge(newKey('acme-after'), { issuer: 'shinhan' })).json()).toMatchObject({
      status: 'succeeded',
    });
    expect(await (await charge(acmeKey, { issuer: 'shinhan' })).json()).toMatchObject({ status: 'declined' });
  });

  it('outage "503" answers 503 to everything of the PSP, inquiries included', async () => {
    await addFault(sim, { psp: 'acme', outage: '503' });
    expect((await charge(newKey('outage'))).status).toBe(503);
    const inquiry = await fetch(`${sim.pspUrl('acme')}/acme/v1/charges?idempotency_key=x`, {
      headers: ACME_HEADERS,
    });
    expect(inquiry.status).toBe(503);
  });

  it('outage "refuse" closes the PSP port (ECONNREFUSED) until the fault is deleted', async () => {
    const faultId = await addFault(sim, { psp: 'acme', outage: 'refuse' });
    const key = newKey('refuse');
    expect(await failureOf(charge(key))).toEqual({ name: 'TypeError', code: 'ECONNREFUSED' });
    // The main port cannot close for one PSP: it cuts the connection instead.
    expect((await failureOf(charge(key, { baseUrl: sim.url }))).name).toBe('TypeError');
    expect((await fetch(`${sim.pspUrl('nova')}/nova/api/inquiry`, { method: 'POST' })).status).toBe(200);
    expect(await adminCharges(sim, key)).toEqual([]);

    expect((await fetch(`${sim.url}/admin/faults/${faultId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await charge(key)).status).toBe(200);
  });

  it('outage "refuse" with untilMs reopens the port by itself', async () => {
    await addFault(sim, { psp: 'acme', outage: 'refuse', untilMs: Date.now() + 500 });
    expect((await failureOf(charge(newKey('until')))).code).toBe('ECONNREFUSED');
    const reopened = await waitFor(
      () =>
        charge(newKey('until')).then(
          (response) => response.status === 200,
          () => false,
        ),
      { description: 'the acme port to reopen' },
    );
    expect(reopened).toBe(true);
  });

  it('chargeThenTimeout records the charge while the client times out; a retry gets it', async () => {
    await addFault(sim, { psp: 'acme', chargeThenTimeoutRate: 1 });
    const key = newKey('charged');
    expect((await failureOf(charge(key, { signal: AbortSignal.timeout(300) }))).name).toBe('TimeoutError');
    const [truth] = await adminCharges(sim, key);
    expect(truth).toMatchObject({ status: 'approved', attempts: 1 });

    await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' });
    const retry = (await (await charge(key)).json()) as { id: string };
    expect(retry.id).toBe(truth?.id);
    expect(await adminCharges(sim, key)).toEqual([expect.objectContaining({ attempts: 2 })]);
  });

  it('timeoutRate hangs without processing, then drops the connection', async () => {
    await addFault(sim, { psp: 'acme', timeoutRate: 1 });
    const key = newKey('hang');
    const startedAtMs = Date.now();
    expect((await failureOf(charge(key))).name).toBe('TypeError');
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(HANG_MS - 50);
    expect(await adminCharges(sim, key)).toEqual([]);
  });

  it('latencyMs delays the answer at least that long', async () => {
    await addFault(sim, { psp: 'acme', latencyMs: 400 });
    const startedAtMs = Date.now();
    expect((await charge(newKey('slow'))).status).toBe(200);
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(400);
  });

  it('refuses an invalid fault and an unknown fault id as problems', async () => {
    const invalid = await postJson(
      `${sim.url}/admin/faults`,
      { psp: 'acme', errorRate: 2 },
      { 'content-type': 'application/json' },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    const refuseByIssuer = await postJson(
      `${sim.url}/admin/faults`,
      { psp: 'acme', issuer: 'kb', outage: 'refuse' },
      { 'content-type': 'application/json' },
    );
    expect(await refuseByIssuer.json()).toMatchObject({
      status: 400,
      type: 'https://keel.dev/problems/psp-sim-invalid-fault',
    });
    const nowhere = await postJson(
      `${sim.url}/admin/faults`,
      { method: 'card', errorRate: 1 },
      { 'content-type': 'application/json' },
    );
    expect(await nowhere.json()).toMatchObject({
      status: 400,
      type: 'https://keel.dev/problems/psp-sim-invalid-fault',
      detail: expect.stringContaining('a fault needs a psp, or an issuer to fault at every PSP'),
    });
    expect((await fetch(`${sim.url}/admin/faults/flt_unknown`, { method: 'DELETE' })).status).toBe(404);
  });
});
