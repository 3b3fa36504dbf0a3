import { EVENT_TYPES } from '@keel/contracts';
import { stepFigures } from './step-figures';
import type { StepRecord } from './step-runner';

const completedAt = (observedAtMs: number) => ({
  type: EVENT_TYPES.paymentCompleted,
  observedAtMs,
  paymentOrderIds: [],
});

describe('stepFigures', () => {
  const record: StepRecord = {
    plan: { kind: 'ramp', ratePerS: 4, durationS: 1, settleTimeoutMs: 2_000 },
    startMs: 0,
    lastSendMs: 750,
    settledAtMs: 3_000,
    sent: [
      { sentAtMs: 0, answer: { httpStatus: 202, paymentId: 'pay_1', answeredAtMs: 10 } },
      { sentAtMs: 250, answer: { httpStatus: 202, paymentId: 'pay_2', answeredAtMs: 290 } },
      { sentAtMs: 500, answer: { httpStatus: 503, retryAfter: '1', answeredAtMs: 505 } },
      { sentAtMs: 750, answer: { answeredAtMs: 10_750 } },
    ],
    cpuPercent: { payment: 40, 'psp-sim': 5, bench: 3 },
    rounds: [
      {
        atMs: 100,
        instances: [
          { instance: 'payment', outboxBacklogRows: 2, consumerLagRecords: 0, inboxAppliedTotal: 0 },
        ],
      },
      {
        atMs: 1_100,
        instances: [
          { instance: 'payment', outboxBacklogRows: 7, consumerLagRecords: 1, inboxAppliedTotal: 3 },
        ],
      },
    ],
    statementCounts: {
      payment: { statements: 30, begins: 4, commits: 4, rollbacks: 0 },
      'wallet-2': { statements: 12, begins: 2, commits: 2, rollbacks: 0 },
    },
    exitedInstances: [],
  };
  // pay_2 completed only after the step's window closed: it counts as never within the step.
  const outcomes = new Map([
    ['pay_1', completedAt(400)],
    ['pay_2', completedAt(3_500)],
  ]);
  const figures = stepFigures(record, outcomes, {
    completedShareMin: 0.9,
    e2eP99MsMax: 2_000,
    backlogGrowthSMax: 2,
  });

  it('counts answers by status, shed answers and their Retry-After', () => {
    expect(figures.statusCounts).toEqual({ '202': 2, '503': 1, 'no answer': 1 });
    expect(figures.shed).toEqual({ count: 1, withRetryAfter: 1 });
  });

  it('measures accept latency of accepted payments and e2e up to the window', () => {
    expect(figures.acceptLatency).toMatchObject({ count: 2, p50Ms: 10, p99Ms: 40 });
    expect(figures.e2eLatency).toMatchObject({ count: 2, p50Ms: 400, p99Ms: Infinity });
    expect([figures.completed, figures.completedPerS, figures.failed]).toEqual([1, 1, 0]);
  });

  it('takes backlog maxima and CPU per instance, psp-sim included, bench apart', () => {
    expect(figures.instances).toEqual([
      { instance: 'payment', outboxBacklogRowsMax: 7, consumerLagRecordsMax: 1, cpuPercent: 40 },
      { instance: 'psp-sim', outboxBacklogRowsMax: 0, consumerLagRecordsMax: 0, cpuPercent: 5 },
    ]);
    expect(figures.benchCpuPercent).toBe(3);
    expect([figures.pipelineBacklogStart, figures.pipelineBacklogEnd]).toEqual([2, 8]);
  });

  it("divides each service's statements and commits by the step's completed payments", () => {
    expect(figures.database.perService['wallet']).toEqual({
      statements: 12,
      commits: 2,
      statementsPerPayment: 12,
      commitsPerPayment: 2,
    });
    expect(figures.database.total).toMatchObject({ statementsPerPayment: 42, commitsPerPayment: 6 });
  });

  it('decides the step fell behind', () => {
    expect(figures.verdict).toEqual({
      keptUp: false,
      reasons: ['completed 25.0 % < 90 %', 'e2e p99 over 2000 ms'],
    });
  });
});
