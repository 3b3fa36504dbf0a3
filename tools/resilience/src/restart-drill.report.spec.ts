import {
  accepted,
  finalPayments,
  passingInvariants,
  recoveredDrill,
  refused,
  restartAt,
  unanswered,
} from './__fixtures__/restart-drill.fixture';
import { restartDrillFigures } from './restart-drill.figures';
import { restartDrillLines, restartDrillMarkdown, type RestartDrillRun } from './restart-drill.report';
import { restartDrillSettings } from './restart-drill.settings';

function drillRun(environment: NodeJS.ProcessEnv = {}): RestartDrillRun {
  const checkouts = [
    accepted(11_000, 'pay_1'),
    refused(61_000, 503, 'overloaded'),
    accepted(45_000, 'pay_2'),
  ];
  return {
    settings: restartDrillSettings(environment),
    figures: restartDrillFigures(
      recoveredDrill(),
      checkouts,
      finalPayments({ pay_1: 'completed', pay_2: 'completed' }),
      passingInvariants(),
      6_000,
    ),
    loadAverage: { atStart: 1.25, atEnd: 3.5 },
    quiescence: { settled: true, waitedMs: 4_000, openPayments: 0 },
    unparsedRecords: 0,
    trafficRanOut: false,
    paymentSheds: { byReason: { concurrency: 4, charge_backlog: 0 }, unreadable: 0 },
  };
}

const STARTED_AT = new Date('2026-12-07T10:00:00.000Z');

describe('restartDrillMarkdown', () => {
  const markdown = restartDrillMarkdown(drillRun(), 'npm run drill:restart', STARTED_AT);

  it('opens with the command, the client, the verdict and every target beside its figure', () => {
    expect(markdown).toContain('Command: `npm run drill:restart`');
    expect(markdown).toContain(
      'Kafka client: kafkajs. Result: FAIL: 16 of 17 targets met, 1 failed, 0 not measured.',
    );
    expect(markdown).toContain('| (b) SIGKILL wallet | 0 checkouts refused | 1 | **FAIL** |');
    expect(markdown).toContain(
      '| (a) rolling restart | every payment terminal ≤ 10.0 s after the last restart | 2.0 s (100 payments) | **PASS** |',
    );
  });

  it('states the rate against the bench maximum it halves', () => {
    expect(markdown).toContain('open-loop card checkouts at 25/s');
    expect(markdown).toContain('half\nthe 50.6/s sustained maximum');
  });

  it('gives each rolling-restart service its timings and checkouts, services without consumers marked so', () => {
    expect(markdown).toContain('| payment | 0.5 s | no | 3.0 s | 1.0 s | 1 | 1 | 0 (0.00 %) | 0 | 0 |');
    expect(markdown).toContain('| ops | 0.5 s | no | 3.0 s | no consumer | 0 | 0 | 0 (n/a) | 0 | 0 |');
  });

  it('lists quiet traffic by the step before it, and the machine load', () => {
    expect(markdown).toContain('| quiet, after (a) | 1 | 1 | 0 (0.00 %) | 0 | 0 |');
    expect(markdown).toContain('3.5 when the last step ended');
  });

  it('lists refusals by window, status and problem type, and the invariants', () => {
    expect(markdown).toContain('| (b) wallet | 503 overloaded | 1 |');
    expect(markdown).toContain('- I1 PASS  I1 holds (10 checked)');
  });

  it("gives payment's own count of its sheds by reason", () => {
    expect(markdown).toContain('at the end): concurrency 4.');
  });

  it('lists each checkout with no answer, or says there was none', () => {
    expect(markdown).toContain('### Checkouts with no answer\n\nNone.');
    const run = drillRun();
    const figures = restartDrillFigures(
      recoveredDrill(),
      [unanswered(61_000, undefined, 'ECONNRESET (reused connection)')],
      finalPayments({}),
      passingInvariants(),
      6_000,
    );
    const text = restartDrillMarkdown({ ...run, figures }, 'npm run drill:restart', STARTED_AT);
    expect(text).toContain('| (b) wallet | 00:01:01.000 | 3 ms | ECONNRESET (reused connection) | no |');
  });

  it('describes payment behind the balancer, or alone when it runs one instance', () => {
    expect(markdown).toContain(
      'Payment runs as 2 instances (`DRILL_PAYMENT_INSTANCES`) behind a readiness-aware TCP balancer',
    );
    expect(markdown).toContain('check (every 250 ms, 1000 ms timeout;');
    const alone = restartDrillMarkdown(
      drillRun({ DRILL_PAYMENT_INSTANCES: '1' }),
      'npm run drill:restart',
      STARTED_AT,
    );
    expect(alone).toContain('Payment runs as one instance with no balancer (`DRILL_PAYMENT_INSTANCES` = 1)');
    expect(alone).not.toContain('balancer on');
  });

  it('gives every instance of a service its own rolling-restart row', () => {
    const observations = recoveredDrill();
    const [first, ...others] = observations.rolling.restarts;
    const second = restartAt('payment', 12_000, { instance: 'payment-2' });
    const run = drillRun();
    const withSecond = restartDrillFigures(
      {
        ...observations,
        rolling: { ...observations.rolling, restarts: [first ?? second, second, ...others] },
      },
      [accepted(11_000, 'pay_1'), accepted(12_500, 'pay_2')],
      finalPayments({ pay_1: 'completed', pay_2: 'completed' }),
      passingInvariants(),
      6_000,
    );
    const text = restartDrillMarkdown({ ...run, figures: withSecond }, 'npm run drill:restart', STARTED_AT);
    expect(text).toContain('| payment | 0.5 s | no | 3.0 s | 1.0 s | 1 | 1 | 0 (0.00 %) | 0 | 0 |');
    expect(text).toContain('| payment-2 | 0.5 s | no | 3.0 s | 1.0 s | 1 | 1 | 0 (0.00 %) | 0 | 0 |');
  });

  it('names a client other than the default in the command', () => {
    const platformatic = restartDrillMarkdown(
      drillRun({ KAFKA_CLIENT: 'platformatic' }),
      'npm run drill:restart',
      STARTED_AT,
    );
    expect(platformatic).toContain('Command: `KAFKA_CLIENT=platformatic npm run drill:restart`');
    expect(platformatic).toContain('Every service runs with `KAFKA_CLIENT=platformatic`');
  });
});

describe('restartDrillLines', () => {
  it('ends with every target and the verdict', () => {
    const lines = restartDrillLines(drillRun());
    expect(lines).toContain('FAIL         (b) SIGKILL wallet: 0 checkouts refused — 1');
    expect(lines[lines.length - 1]).toBe('FAIL: 16 of 17 targets met, 1 failed, 0 not measured');
  });
});
