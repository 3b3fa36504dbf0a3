import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { PspSimProcess } from '@keel/local-system';
import { dayIn, lastWholeDayIn } from '@keel/reconciliation-domain';
import { operatorAuthorization, waitFor } from '@keel/testing';
import { startReconciliation, type ReconciliationUnderTest } from '../../test/reconciliation-harness';
import type { ReconciliationRun, RunPage } from './reconciliation-run';

jest.setTimeout(120_000);

const ZONES = { acme: 'UTC', nova: 'Europe/Berlin', swiftpay: 'Asia/Seoul' } as const;
type Psp = keyof typeof ZONES;
const DAY_MS = 86_400_000;

let sim: PspSimProcess;
let service: ReconciliationUnderTest;

beforeAll(async () => {
  sim = await PspSimProcess.start();
  service = await startReconciliation(sim.pspUrls());
});

beforeEach(async () => {
  await sim.reset();
});

afterAll(async () => {
  await service?.stop();
  await sim?.stop();
});

/** A problem+json answer with the members reconciliation's problems carry. */
interface Problem {
  readonly type: string;
  readonly status: number;
  readonly detail: string;
  readonly runId?: string;
  readonly lineNumber?: number;
}

interface Answer<T> {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: T;
}

async function call<T = ReconciliationRun>(
  method: 'GET' | 'POST',
  path: string,
  options: { role?: 'viewer' | 'operator'; json?: unknown; body?: string; contentType?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {
    authorization: operatorAuthorization(options.role ?? 'operator', { name: 'recon-test' }),
  };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'text/csv';
    body = options.body;
  }
  const response = await fetch(`${service.baseUrl}${path}`, { method, headers, body });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as T,
  };
}

function database(): DataSource {
  return service.app.get(DataSource);
}

async function storedFor(psp: string, date: string): Promise<{ files: number; rows: number }> {
  const [counts] = (await database().query(
    `SELECT (SELECT count(*) FROM settlement_files WHERE psp = $1 AND settlement_date = $2)::int AS files,
            (SELECT count(*) FROM settlement_rows r JOIN settlement_files f ON f.id = r.file_id
              WHERE f.psp = $1 AND f.settlement_date = $2)::int AS rows`,
    [psp, date],
  )) as { files: number; rows: number }[];
  return counts ?? { files: 0, rows: 0 };
}

let daysAgo = 0;

/**
 * `count` charges the PSP settled on a day of its own (in its zone; each call takes the day before
 * the last, so no two cases share a PSP's day), and that day.
 */
async function settledOnADay(psp: Psp, count: number): Promise<string> {
  daysAgo += 1;
  const occurredAtMs = Date.now() - daysAgo * DAY_MS;
  for (let index = 0; index < count; index += 1) {
    await sim.addSettlementFault({
      psp,
      kind: 'unknown_charge',
      amountMinor: 10_000 + index,
      currency: 'KRW',
      occurredAtMs,
    });
  }
  return dayIn(ZONES[psp], new Date(occurredAtMs));
}

const ACME_HEADER =
  'settlement_date,psp_reference,merchant_reference,type,amount_minor,currency,fee_minor,event_time';

describe('reconciliation runs on the real PostgreSQL, Kafka and psp-sim', () => {
  it.each([
    ['acme', 3],
    ['nova', 2],
    ['swiftpay', 4],
  ] as const)("downloads %s's file of a day and ingests its %d rows", async (psp, count) => {
    const date = await settledOnADay(psp, count);

    const answer = await call('POST', '/v1/reconciliation/runs', { json: { psp, date } });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      psp,
      date,
      trigger: 'api',
      status: 'completed',
      error: null,
      summary: {
        file: { psp, settlementDate: date, rowCount: count, lateRowCount: 0, alreadyIngested: false },
      },
    });
    expect(answer.body.summary?.file.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.body.summary?.file.totals['KRW']).toMatchObject({ rowCount: count, chargeCount: count });
    expect(answer.body.fileId).toBe(answer.body.summary?.file.id);
    expect(await storedFor(psp, date)).toEqual({ files: 1, rows: count });
    const audit = (await database().query(
      `SELECT actor, action, target, status FROM operator_audit WHERE target = $1`,
      [`settlement:${psp}:${date}`],
    )) as unknown[];
    expect(audit).toEqual([
      {
        actor: 'recon-test',
        action: 'reconciliation_runs.create',
        target: `settlement:${psp}:${date}`,
        status: 201,
      },
    ]);
  });

  it('ingests the same file once: a second run answers the file already stored', async () => {
    const date = await settledOnADay('acme', 2);

    const first = await call('POST', '/v1/reconciliation/runs', { json: { psp: 'acme', date } });
    const second = await call('POST', '/v1/reconciliation/runs', { json: { psp: 'acme', date } });

    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.summary?.file).toEqual({ ...first.body.summary?.file, alreadyIngested: true });
    expect(await storedFor('acme', date)).toEqual({ files: 1, rows: 2 });
  });

  it('ingests the same upload once too, and an uploaded file the PSP served already', async () => {
    const date = await settledOnADay('swiftpay', 1);
    const downloaded = await call('POST', '/v1/reconciliation/runs', { json: { psp: 'swiftpay', date } });
    const file = await (
      await fetch(`${sim.url('swiftpay')}/swiftpay/v2/settlements/${date.replaceAll('-', '')}`, {
        headers: { 'x-swift-key': 'swift_test_key' },
      })
    ).text();

    const uploaded = await call('POST', `/v1/reconciliation/runs/upload?psp=swiftpay&date=${date}`, {
      body: file,
      contentType: 'text/plain',
    });

    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ trigger: 'upload', status: 'completed' });
    expect(uploaded.body.summary?.file).toMatchObject({
      id: downloaded.body.summary?.file.id,
      alreadyIngested: true,
    });
    expect(await storedFor('swiftpay', date)).toEqual({ files: 1, rows: 1 });
  });

  it('refuses a malformed upload with 422 naming its line, and stores nothing of it', async () => {
    const date = '2026-11-30';
    const file = [
      ACME_HEADER,
      `${date},ch_1,po_1,charge,10000,KRW,250,${date}T10:00:00.000Z`,
      `${date},ch_2,po_2,charge,ten,KRW,250,${date}T11:00:00.000Z`,
      `${date},ch_3,po_3,charge,10000,KRW,250,${date}T12:00:00.000Z`,
      '',
    ].join('\n');

    const answer = await call<Problem>('POST', `/v1/reconciliation/runs/upload?psp=acme&date=${date}`, {
      body: file,
    });

    expect(answer.status).toBe(422);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({
      type: 'https://keel.dev/problems/malformed-settlement-file',
      status: 422,
      lineNumber: 3,
      problem: 'bad_amount',
      psp: 'acme',
    });
    expect(answer.body.detail).toContain('Line 3');
    expect(await storedFor('acme', date)).toEqual({ files: 0, rows: 0 });
    const run = await call('GET', `/v1/reconciliation/runs/${String(answer.body.runId)}`, { role: 'viewer' });
    expect(run.body).toMatchObject({
      status: 'failed',
      fileId: null,
      summary: null,
      error: { code: 'malformed-settlement-file', lineNumber: 3, problem: 'bad_amount' },
    });
  });

  it('refuses a file whose rows were stored before its last line failed, and keeps none of them', async () => {
    const date = '2026-11-29';
    // Two full batches (RECON_INSERT_BATCH_ROWS is 5,000) go in before line 10,003 breaks.
    const rows = Array.from(
      { length: 10_001 },
      (_, index) => `${date},ch_${index},po_${index},charge,10000,KRW,250,${date}T10:00:00.000Z`,
    );
    const file = [
      ACME_HEADER,
      ...rows,
      `${date},ch_x,po_x,charge,10000,XXX,250,${date}T10:00:00.000Z`,
      '',
    ].join('\n');

    const answer = await call<Problem>('POST', `/v1/reconciliation/runs/upload?psp=acme&date=${date}`, {
      body: file,
    });

    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ lineNumber: 10_003, problem: 'unknown_currency' });
    expect(await storedFor('acme', date)).toEqual({ files: 0, rows: 0 });
  });

  it.each([
    ['an unknown PSP', { psp: 'paypal', date: '2026-11-30' }, 'unknown-psp', /paypal.*acme, nova, swiftpay/],
    [
      'a day not begun in the PSP zone',
      { psp: 'nova', date: '2999-01-01' },
      'settlement-date-in-future',
      /Europe\/Berlin/,
    ],
    ['no calendar day', { psp: 'acme', date: '2026-02-30' }, 'invalid-settlement-date', /YYYY-MM-DD/],
  ])(
    'refuses %s with a 400 problem, for a run and an upload, recording no run',
    async (_case, target, code, detail) => {
      const runsBefore = await runCount();

      const run = await call<Problem>('POST', '/v1/reconciliation/runs', { json: target });
      const upload = await call<Problem>(
        'POST',
        `/v1/reconciliation/runs/upload?psp=${target.psp}&date=${target.date}`,
        { body: `${ACME_HEADER}\n` },
      );

      for (const answer of [run, upload]) {
        expect(answer.status).toBe(400);
        expect(answer.contentType).toMatch(/^application\/problem\+json/);
        expect(answer.body.type).toBe(`https://keel.dev/problems/${code}`);
        expect(answer.body.detail).toMatch(detail);
      }
      expect(await runCount()).toBe(runsBefore);
    },
  );

  it('refuses an upload sent as JSON with 415', async () => {
    const answer = await call<Problem>('POST', '/v1/reconciliation/runs/upload?psp=acme&date=2026-11-30', {
      body: '{}',
      contentType: 'application/json',
    });
    expect(answer.status).toBe(415);
    expect(answer.body.type).toBe('https://keel.dev/problems/unsupported-upload-type');
  });

  it('answers 502 when the PSP does not serve its file, keeping the failed run', async () => {
    const date = await settledOnADay('acme', 1);
    await sim.addFault({ psp: 'acme', outage: '503' });

    const answer = await call<Problem>('POST', '/v1/reconciliation/runs', { json: { psp: 'acme', date } });

    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({
      type: 'https://keel.dev/problems/settlement-download-failed',
      psp: 'acme',
    });
    expect(answer.body.detail).toContain('answered 503');
    expect(await storedFor('acme', date)).toEqual({ files: 0, rows: 0 });
    const run = await call('GET', `/v1/reconciliation/runs/${String(answer.body.runId)}`, { role: 'viewer' });
    expect(run.body).toMatchObject({
      trigger: 'api',
      status: 'failed',
      error: { code: 'settlement-download-failed' },
    });
    expect(run.body.finishedAt).not.toBeNull();
  });

  it('lets viewers read runs, newest first, page by page; only operators start them', async () => {
    const date = await settledOnADay('nova', 1);
    const started: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      started.push((await call('POST', '/v1/reconciliation/runs', { json: { psp: 'nova', date } })).body.id);
    }

    const first = await call<RunPage>('GET', `/v1/reconciliation/runs?psp=nova&date=${date}&limit=2`, {
      role: 'viewer',
    });
    const second = await call<RunPage>(
      'GET',
      `/v1/reconciliation/runs?psp=nova&date=${date}&limit=2&cursor=${String(first.body.nextCursor)}`,
      { role: 'viewer' },
    );

    expect(first.status).toBe(200);
    expect([...first.body.data, ...second.body.data].map((run) => run.id)).toEqual(started.reverse());
    expect(second.body.nextCursor).toBeNull();
    expect((await call('GET', `/v1/reconciliation/runs/${started[0]}`, { role: 'viewer' })).body.id).toBe(
      started[0],
    );
    expect((await call('GET', '/v1/reconciliation/runs/not-a-run', { role: 'viewer' })).status).toBe(404);
    expect(
      (await call<Problem>('GET', '/v1/reconciliation/runs?cursor=forged', { role: 'viewer' })).body.type,
    ).toBe('https://keel.dev/problems/invalid-cursor');
    expect(
      (await call('POST', '/v1/reconciliation/runs', { role: 'viewer', json: { psp: 'nova', date } })).status,
    ).toBe(403);
  });
});

describe('the daily schedule', () => {
  it("runs every PSP's last whole day once, however often it fires and on however many instances, after failing a run a dead process left running", async () => {
    const now = new Date();
    const days = Object.fromEntries(
      Object.entries(ZONES).map(([psp, zone]) => [psp, lastWholeDayIn(zone, now)]),
    ) as Record<Psp, string>;
    // acme's day held by a scheduled run whose process died two hours ago (the limit is one hour).
    const abandonedId = randomUUID();
    await database().query(
      `INSERT INTO reconciliation_runs (id, psp, settlement_date, trigger, status, started_at)
       VALUES ($1, 'acme', $2, 'schedule', 'running', now() - interval '2 hours')`,
      [abandonedId, days.acme],
    );

    // Every second, so that the test sees it fire; a second instance keeps the same schedule.
    await service.restart({ RECON_SCHEDULE_CRON: '* * * * * *', RECON_SCHEDULE_TIME_ZONE: 'Asia/Seoul' });
    await service.startAnotherInstance();
    const scheduled = await waitFor(
      async () => {
        const rows = (await database().query(
          `SELECT psp, to_char(settlement_date, 'YYYY-MM-DD') AS date, status FROM reconciliation_runs
           WHERE trigger = 'schedule' AND id <> $1 ORDER BY psp`,
          [abandonedId],
        )) as { psp: string; date: string; status: string }[];
        return rows.length === 3 && rows.every((row) => row.status !== 'running') && rows;
      },
      { timeoutMs: 20_000, description: 'a scheduled run of each PSP' },
    );
    // Let it fire a few more times on both instances.
    await setTimeout(2_500);

    expect(scheduled).toEqual(
      (Object.keys(ZONES) as Psp[]).map((psp) => ({ psp, date: days[psp], status: 'completed' })),
    );
    expect(await runCount("trigger = 'schedule'")).toBe(4);
    const [abandoned] = (await database().query(
      `SELECT status, error->>'code' AS code, finished_at IS NOT NULL AS finished FROM reconciliation_runs WHERE id = $1`,
      [abandonedId],
    )) as { status: string; code: string; finished: boolean }[];
    expect(abandoned).toEqual({ status: 'failed', code: 'abandoned', finished: true });
  });
});

async function runCount(where = 'true'): Promise<number> {
  const [row] = (await database().query(
    `SELECT count(*)::int AS count FROM reconciliation_runs WHERE ${where}`,
  )) as {
    count: number;
  }[];
  return row?.count ?? 0;
}
