import {
  accepted,
  finalPayments,
  passingInvariants,
  recoveredDrill,
  refused,
  unanswered,
} from './__fixtures__/restart-drill.fixture';
import {
  brokerResumeTarget,
  countCheckouts,
  quietWindows,
  restartDrillFigures,
  type TargetResult,
} from './restart-drill.figures';
import type { DrillObservations } from './restart-drill.observations';

/** With the fixture's instances back 3 s after their signal, a kill's window is 9 s long. */
const WINDOW_AFTER_BACK_MS = 6_000;

const verdicts = (targets: readonly TargetResult[], step: string): Record<string, string> =>
  Object.fromEntries(
    targets.filter((target) => target.step === step).map((target) => [target.target, target.verdict]),
  );

describe('countCheckouts', () => {
  it('tells accepted, refused (by status and problem code), failed and lost apart', () => {
    const checkouts = [
      accepted(1, 'pay_done'),
      accepted(2, 'pay_open'),
      accepted(3, 'pay_missing'),
      refused(4, 503, 'overloaded'),
      refused(5, 503, 'overloaded'),
      refused(6, 502),
      unanswered(7, 'resilience-held', 'timeout'),
      unanswered(8),
    ];
    const counts = countCheckouts(
      checkouts,
      finalPayments({ pay_done: 'completed', pay_open: 'processing' }, ['resilience-held']),
    );
    expect(counts).toEqual({
      sent: 8,
      accepted: 3,
      refused: 3,
      refusedBy: { '503 overloaded': 2, '502 (no problem type)': 1 },
      failed: 2,
      failedBy: { timeout: 1, ECONNRESET: 1 },
      failedButHeld: 1,
      lost: 2,
    });
  });

  it('counts a failed or partially failed payment as terminal, not lost', () => {
    const counts = countCheckouts(
      [accepted(1, 'pay_failed'), accepted(2, 'pay_partial')],
      finalPayments({ pay_failed: 'failed', pay_partial: 'partially_failed' }),
    );
    expect(counts.lost).toBe(0);
  });
});

describe('restartDrillFigures', () => {
  const allCompleted = (ids: readonly string[]) =>
    finalPayments(Object.fromEntries(ids.map((id) => [id, 'completed'])));

  it('puts each checkout in the window of its send time, the rest in quiet traffic', () => {
    const checkouts = [
      accepted(5_000, 'quiet_before'),
      accepted(10_000, 'rolling_payment'),
      accepted(14_999, 'rolling_payment_late'),
      accepted(15_000, 'rolling_executor'),
      accepted(39_999, 'rolling_ops'),
      accepted(45_000, 'quiet_between'),
      accepted(60_500, 'kill_wallet'),
      accepted(69_500, 'quiet_after_wallet'),
      accepted(105_000, 'broker'),
      accepted(115_000, 'quiet_after'),
    ];
    const ids = checkouts.map((checkout) => checkout.answer?.paymentId ?? '');
    const figures = restartDrillFigures(
      recoveredDrill(),
      checkouts,
      allCompleted(ids),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    expect(figures.rolling.rows.map((row) => [row.restart.service, row.counts.sent])).toEqual([
      ['payment', 2],
      ['executor', 1],
      ['wallet', 0],
      ['ledger', 0],
      ['reconciliation', 0],
      ['ops', 1],
    ]);
    expect(figures.rolling.counts.sent).toBe(4);
    expect(figures.kills.map((kill) => [kill.restart.service, kill.counts.sent])).toEqual([
      ['executor', 0],
      ['wallet', 1],
      ['ledger', 0],
      ['payment', 0],
    ]);
    expect(figures.broker.counts.sent).toBe(1);
    expect(figures.quietTotal.sent).toBe(4);
    expect(
      figures.quiet.filter((segment) => segment.counts.sent > 0).map((segment) => segment.label),
    ).toEqual(['before (a)', 'after (a)', 'after (b) wallet', 'after (c)']);
    expect(figures.overall.sent).toBe(10);
  });

  it('names what the quiet traffic right after a step added beside its target, without changing the verdict', () => {
    const checkouts = [refused(61_000, 503, 'overloaded'), refused(69_100, 503, 'overloaded')];
    const figures = restartDrillFigures(
      recoveredDrill(),
      checkouts,
      finalPayments({}),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    const wallet = figures.targets.find(
      (target) => target.step === '(b) SIGKILL wallet' && target.target === '0 checkouts refused',
    );
    expect(wallet).toMatchObject({ measured: '1 (1 more in the quiet traffic after)', verdict: 'FAIL' });
  });

  it('passes every target when the drill recovered in time', () => {
    const figures = restartDrillFigures(
      recoveredDrill(),
      [],
      allCompleted([]),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    expect(figures.targets.every((target) => target.verdict === 'PASS')).toBe(true);
    expect(figures.passed).toBe(true);
  });

  it('fails the rolling restart on one refusal, one failure or one payment left open, and a slow finish', () => {
    const drill = recoveredDrill();
    const slow: DrillObservations = {
      ...drill,
      rolling: { ...drill.rolling, terminal: { kind: 'terminal', afterMs: 10_001, payments: 100 } },
    };
    const checkouts = [refused(11_000, 503, 'overloaded'), unanswered(12_000), accepted(13_000, 'pay_open')];
    const figures = restartDrillFigures(
      slow,
      checkouts,
      finalPayments({}),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    expect(verdicts(figures.targets, '(a) rolling restart')).toEqual({
      '0 checkouts refused': 'FAIL',
      '0 checkouts failed': 'FAIL',
      '0 checkouts lost': 'FAIL',
      'every payment terminal ≤ 10.0 s after the last restart': 'FAIL',
    });
    expect(figures.passed).toBe(false);
  });

  it('lists every checkout with no answer with its window, how long it took to fail and why', () => {
    const checkouts = [
      unanswered(5_000),
      accepted(10_500, 'rolling_payment'),
      unanswered(16_000, 'resilience-held', 'timeout'),
      unanswered(61_000, undefined, 'ECONNRESET (reused connection)'),
    ];
    const figures = restartDrillFigures(
      recoveredDrill(),
      checkouts,
      finalPayments({ rolling_payment: 'completed' }, ['resilience-held']),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    expect(figures.unanswered).toEqual([
      { window: 'quiet, before (a)', sentAtMs: 5_000, failedAfterMs: 3, failure: 'ECONNRESET', held: false },
      { window: '(a) executor', sentAtMs: 16_000, failedAfterMs: 30_000, failure: 'timeout', held: true },
      {
        window: '(b) wallet',
        sentAtMs: 61_000,
        failedAfterMs: 3,
        failure: 'ECONNRESET (reused connection)',
        held: false,
      },
    ]);
  });

  it('allows the executor 1 % of its window refused, and wallet and ledger none', () => {
    const executorWindow = Array.from({ length: 200 }, (_, index) => accepted(50_000 + index, `e${index}`));
    const ids = executorWindow.map((checkout) => checkout.answer?.paymentId ?? '');
    const twoRefused = [
      ...executorWindow,
      refused(58_000, 503, 'overloaded'),
      refused(58_001, 503, 'overloaded'),
    ];
    const withinShare = restartDrillFigures(
      recoveredDrill(),
      twoRefused,
      allCompleted(ids),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    expect(verdicts(withinShare.targets, '(b) SIGKILL executor')['≤ 1.00 % of checkouts refused']).toBe(
      'PASS',
    );

    const threeRefused = [...twoRefused, refused(58_002, 503, 'overloaded')];
    const overShare = restartDrillFigures(
      recoveredDrill(),
      threeRefused,
      allCompleted(ids),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    expect(verdicts(overShare.targets, '(b) SIGKILL executor')['≤ 1.00 % of checkouts refused']).toBe('FAIL');

    const walletRefusal = restartDrillFigures(
      recoveredDrill(),
      [refused(61_000, 503, 'overloaded')],
      finalPayments({}),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    expect(verdicts(walletRefusal.targets, '(b) SIGKILL wallet')['0 checkouts refused']).toBe('FAIL');
  });

  it('says NOT MEASURED for an absent assignment gauge, which does not fail the run; a timeout fails', () => {
    const drill = recoveredDrill();
    const [executor, wallet, ...rest] = drill.kills;
    if (executor === undefined || wallet === undefined) throw new Error('fixture has four kills');
    const observations: DrillObservations = {
      ...drill,
      kills: [
        { ...executor, restart: { ...executor.restart, assignment: { kind: 'not-measured' } } },
        {
          ...wallet,
          restart: { ...wallet.restart, assignment: { kind: 'timed-out', waitedMs: 60_000 } },
          terminal: { kind: 'timed-out', waitedMs: 120_000, payments: 300, open: 12 },
        },
        ...rest,
      ],
    };
    const figures = restartDrillFigures(
      observations,
      [],
      finalPayments({}),
      passingInvariants(),
      WINDOW_AFTER_BACK_MS,
    );
    expect(
      verdicts(figures.targets, '(b) SIGKILL executor')['partitions assigned ≤ 5.0 s after it is back'],
    ).toBe('NOT MEASURED');
    const walletTargets = figures.targets.filter((target) => target.step === '(b) SIGKILL wallet');
    expect(walletTargets.map((target) => [target.measured, target.verdict])).toEqual([
      ['0', 'PASS'],
      ['not within 60.0 s', 'FAIL'],
      ['not within 120.0 s (12 of 300 open)', 'FAIL'],
    ]);
    expect(figures.passed).toBe(false);
  });

  it('fails the whole drill when an invariant fails', () => {
    const [first, second] = passingInvariants();
    if (first === undefined || second === undefined) throw new Error('fixture has two invariants');
    const figures = restartDrillFigures(
      recoveredDrill(),
      [],
      finalPayments({}),
      [first, { ...second, passed: false, offending: ['ord_1'], offendingCount: 1 }],
      WINDOW_AFTER_BACK_MS,
    );
    const invariants = figures.targets.find((target) => target.step === 'whole drill');
    expect(invariants).toMatchObject({ measured: 'FAIL: I2', verdict: 'FAIL' });
    expect(figures.passed).toBe(false);
  });
});

describe('quietWindows', () => {
  it('covers all time outside the steps, each gap named after the step before it', () => {
    expect(
      quietWindows([
        { label: '(a)', fromMs: 10, toMs: 20 },
        { label: '(c)', fromMs: 30, toMs: 40 },
      ]),
    ).toEqual([
      { label: 'before (a)', fromMs: -Infinity, toMs: 10 },
      { label: 'after (a)', fromMs: 20, toMs: 30 },
      { label: 'after (c)', fromMs: 40, toMs: Infinity },
    ]);
  });
});

describe('brokerResumeTarget', () => {
  const broker = recoveredDrill().broker;

  it('takes the slowest of every consumer service’s assignment and applying again', () => {
    const [first, ...rest] = broker.resumes;
    if (first === undefined) throw new Error('fixture has resumes');
    const slow = { ...first, applying: { kind: 'met', afterMs: 10_500 } as const };
    expect(brokerResumeTarget({ ...broker, resumes: [slow, ...rest] })).toMatchObject({
      measured: 'slowest 10.5 s',
      verdict: 'FAIL',
    });
    expect(brokerResumeTarget(broker)).toMatchObject({ measured: 'slowest 2.0 s', verdict: 'PASS' });
  });

  it('judges by the inbox alone where the gauge is absent, and says so', () => {
    const resumes = broker.resumes.map((resume) => ({
      ...resume,
      assignment: { kind: 'not-measured' } as const,
    }));
    expect(brokerResumeTarget({ ...broker, resumes })).toMatchObject({
      measured: 'slowest 2.0 s (inbox applying again; assigned partitions not measured)',
      verdict: 'PASS',
    });
  });

  it('fails when a consumer service never applied again', () => {
    const [first, ...rest] = broker.resumes;
    if (first === undefined) throw new Error('fixture has resumes');
    const stuck = { ...first, applying: { kind: 'timed-out', waitedMs: 60_000 } as const };
    expect(brokerResumeTarget({ ...broker, resumes: [stuck, ...rest] })).toMatchObject({
      measured: 'not within 60.0 s',
      verdict: 'FAIL',
    });
  });
});
