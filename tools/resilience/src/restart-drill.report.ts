import { DEFAULT_READINESS_CHECK } from '@keel/local-system';
import { DEFAULT_KAFKA_CLIENT_KIND } from '@keel/messaging';
import { invariantLine, type QuiescenceOutcome } from './borrowed-tool-parts';
import { reportOpening } from './drill';
import {
  consumerWaitText,
  seconds,
  share,
  terminalWaitText,
  type CheckoutCounts,
  type RestartDrillFigures,
  type TargetResult,
} from './restart-drill.figures';
import type { PaymentSheds } from './payment-sheds';
import type { ServiceRestart } from './restart-drill.observations';
import { BENCH_SUSTAINED_MAX_PER_S, type RestartDrillSettings } from './restart-drill.settings';

/** Everything one drill run reports. */
export interface RestartDrillRun {
  readonly settings: RestartDrillSettings;
  readonly figures: RestartDrillFigures;
  readonly quiescence: QuiescenceOutcome;
  readonly unparsedRecords: number;
  /** The machine's 1-minute load average when the traffic started and when the last step ended. */
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
  /** The traffic reached DRILL_TRAFFIC_MAX_S before the drill ended (later steps ran without it). */
  readonly trafficRanOut: boolean;
  /** Payment's own count of the creates it shed, by reason, over every payment process of the drill. */
  readonly paymentSheds: ReturnType<PaymentSheds['summary']>;
}

const failedText = (counts: CheckoutCounts): string =>
  counts.failedButHeld === 0
    ? String(counts.failed)
    : `${counts.failed} (${counts.failedButHeld} held by Keel)`;

const countCells = (counts: CheckoutCounts): string[] => [
  String(counts.sent),
  String(counts.accepted),
  `${counts.refused} (${share(counts.refused, counts.sent)})`,
  failedText(counts),
  String(counts.lost),
];

/** More than this many unanswered checkouts are a failure to read in the counts, not one by one. */
const UNANSWERED_LISTED_MAX = 30;

const COUNT_HEADERS = ['sent', 'accepted (202)', 'refused', 'failed (no answer)', 'lost'];

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

const countsLine = (counts: CheckoutCounts): string =>
  `${counts.sent} sent, ${counts.accepted} accepted, ${counts.refused} refused, ${failedText(counts)} failed, ${counts.lost} lost`;

const targetLine = (target: TargetResult): string =>
  `${target.verdict.padEnd(12)} ${target.step}: ${target.target} — ${target.measured}`;

function summary(figures: RestartDrillFigures): string {
  const failed = figures.targets.filter((target) => target.verdict === 'FAIL').length;
  const unmeasured = figures.targets.filter((target) => target.verdict === 'NOT MEASURED').length;
  const verdict = failed === 0 ? 'PASS' : 'FAIL';
  return `${verdict}: ${figures.targets.length - failed - unmeasured} of ${figures.targets.length} targets met, ${failed} failed, ${unmeasured} not measured`;
}

/** The figures as console lines: the targets with their verdicts, then each step in a line. */
export function restartDrillLines(run: RestartDrillRun): string[] {
  const { figures, settings } = run;
  return [
    `restart drill, Kafka client ${settings.kafkaClient}, ${settings.ratePerSecond} checkouts/s`,
    `(a) rolling restart: ${countsLine(figures.rolling.counts)}; every payment terminal ${terminalWaitText(figures.rolling.terminal)} after the last restart`,
    ...figures.kills.map(
      (kill) =>
        `(b) SIGKILL ${kill.restart.service}: ${countsLine(kill.counts)}; partitions ${consumerWaitText(kill.restart.assignment)}, terminal ${terminalWaitText(kill.terminal)} after it was back`,
    ),
    `(c) broker restart: ${countsLine(figures.broker.counts)}; answering again ${seconds(figures.broker.backAtMs - figures.broker.stopAtMs)} after the stop`,
    `quiet traffic between steps: ${countsLine(figures.quietTotal)}`,
    ...figures.invariants.map(invariantLine),
    ...figures.targets.map(targetLine),
    summary(figures),
  ];
}

/** How payment is deployed in the drill: several instances behind the balancer, or one alone. */
function paymentSetup(settings: RestartDrillSettings): string[] {
  if (settings.paymentInstances === 1)
    return [
      'Payment runs as one instance with no balancer (`DRILL_PAYMENT_INSTANCES` = 1): nothing answers its',
      'port between the old process closing its listener and the new one starting, so checkouts sent then',
      'fail, in (a) and (b) alike.',
    ];
  const { intervalMs, timeoutMs } = DEFAULT_READINESS_CHECK;
  return [
    `Payment runs as ${settings.paymentInstances} instances (\`DRILL_PAYMENT_INSTANCES\`) behind a readiness-aware TCP balancer`,
    "on payment's port, as production runs at least two payment pods behind a Kubernetes Service: each",
    'new connection goes, round robin, to an instance whose `/health/ready` answered 200 at its last',
    `check (every ${intervalMs} ms, ${timeoutMs} ms timeout; \`libs/local-system/src/ready-balancer.ts\`), and a kept-alive`,
    'connection stays with its instance until one side closes it. Every service keeps the default',
    '`SHUTDOWN_DRAIN_DELAY_MS` (5 s): on SIGTERM an instance turns unready at once, keeps serving for',
    "the drain with `Connection: close` on every response (so the traffic's kept-alive connections move",
    'to the other instance), then stops listening and answers what is in flight. The balancer writes',
    "each instance's turns to ready and unready in `payment-balancer.log` beside the services' logs.",
  ];
}

function setupSection(run: RestartDrillRun): string[] {
  const { settings } = run;
  return [
    '## Setup',
    '',
    "One system for the whole drill, the chaos suite's environment: psp-sim and every Keel service as",
    'its own process (one instance each but payment), fresh databases and topics (3 partitions), and a',
    'single-node KRaft broker of its own (never the shared one) behind a TCP proxy, as are',
    'PostgreSQL and the PSPs. Every service runs with `KAFKA_CLIENT=' + settings.kafkaClient + '`.',
    '',
    ...paymentSetup(settings),
    '',
    `Traffic: open-loop card checkouts at ${settings.ratePerSecond}/s (\`DRILL_RATE_PER_S\`; the default 25 is half`,
    `the ${BENCH_SUSTAINED_MAX_PER_S}/s sustained maximum the last \`npm run bench\` measured), from before the first step`,
    'until after the last, each one approved card payment of 10,000 KRW sent once (no client retry).',
    `Before the first step, between steps and after the last: ${settings.settleS} s of quiet traffic (\`DRILL_SETTLE_S\`).`,
    '',
    '- **(a) rolling restart**: every instance of payment, executor, wallet, ledger, reconciliation, ops',
    `  in turn, one at a time: SIGTERM, wait for the exit (SIGKILL after \`DRILL_STOP_GRACE_S\` = ${settings.stopGraceS} s), start`,
    '  again, wait until its `/health/ready` answers 200 and, for payment, the balancer routes to it',
    '  ("back"), then the next.',
    `- **(b) SIGKILL**: executor, wallet, ledger, payment in turn (of payment its first instance; the others`,
    `  keep serving), each started again ${settings.killDownS} s after the kill (\`DRILL_KILL_DOWN_S\`), with quiet traffic`,
    '  between them.',
    "- **(c) broker restart**: the run's broker stopped by SIGTERM and started again at once on the same",
    '  ports and data (the chaos suite\'s kafka-broker-restart fault); "back" is when it answers an admin',
    '  client again.',
    '',
    'What the figures mean:',
    '',
    "- A checkout belongs to the step whose window holds its send time: from the step's signal until",
    `  ${settings.windowAfterBackS} s after the instance or broker is back (\`DRILL_WINDOW_AFTER_BACK_S\`; for (a), one row an`,
    '  instance from its SIGTERM to the next, the last until that long after ops is back). The next step',
    '  starts once that window has closed and the settle has passed; what falls between windows is quiet',
    '  traffic, named after the step before it.',
    '- **refused**: any answer but 202 (by status and problem `type` below); **failed**: no answer',
    '  (connection refused or reset, or none within 30 s; each listed below with its cause), with how many',
    '  of those Keel made a payment for all the same; **lost**: accepted, and not terminal when the drill',
    '  ended (after the quiescence wait).',
    "- **partitions**: from back until the instance's `/metrics` shows `keel_consumer_assigned_partitions`",
    '  summed over topics > 0 (read every 200 ms); "not measured" when the service does not export the',
    '  gauge, "no consumer" for reconciliation and ops.',
    '- **terminal**: from back (for (a), the last instance back) until every payment accepted for a',
    "  checkout sent before then is terminal on the payment API; the figure is the last such payment's",
    '  `updatedAt` minus back, 0 when all were terminal already.',
    '- **resume** (c): from the broker back until every consumer instance holds partitions and its',
    '  `keel_inbox_applied_total` has grown past its first reading.',
    `- Waits give up after \`DRILL_CONSUMER_WAIT_S\` = ${settings.consumerWaitS} s (partitions, resume) and`,
    `  \`DRILL_TERMINAL_WAIT_S\` = ${settings.terminalWaitS} s (terminal). Then the chaos checker's quiescence wait`,
    `  (≤ \`DRILL_QUIESCENCE_TIMEOUT_S\` = ${settings.quiescenceTimeoutS} s) and invariants I1–I8 over every checkout of`,
    `  the drill, I7 bounded by \`DRILL_TERMINAL_BOUND_S\` = ${settings.terminalBoundS} s after the broker was back.`,
    '',
  ];
}

const restartCells = (restart: ServiceRestart): string[] => [
  restart.instance,
  seconds(restart.exitedAtMs - restart.signalAtMs),
  restart.forcedAfterGrace ? 'yes' : 'no',
  seconds(restart.readyAtMs - restart.signalAtMs),
  consumerWaitText(restart.assignment),
];

function stepSections(run: RestartDrillRun): string[] {
  const { figures, settings } = run;
  const { rolling, kills, broker } = figures;
  return [
    '## (a) Rolling restart',
    '',
    ...table(
      [
        'instance',
        'SIGTERM → exit',
        'killed after grace',
        'SIGTERM → back',
        'back → partitions',
        ...COUNT_HEADERS,
      ],
      [
        ...rolling.rows.map((row) => [...restartCells(row.restart), ...countCells(row.counts)]),
        ['**all**', '', '', '', '', ...countCells(rolling.counts)],
      ],
    ),
    '',
    `Last instance back → every accepted payment terminal: ${terminalWaitText(rolling.terminal)}.`,
    '',
    `## (b) SIGKILL, started again ${settings.killDownS} s later`,
    '',
    ...table(
      ['instance', 'kill → back', 'back → partitions', 'back → every payment terminal', ...COUNT_HEADERS],
      kills.map((kill) => [
        kill.restart.instance,
        seconds(kill.restart.readyAtMs - kill.restart.signalAtMs),
        consumerWaitText(kill.restart.assignment),
        terminalWaitText(kill.terminal),
        ...countCells(kill.counts),
      ]),
    ),
    '',
    '## (c) Broker restart',
    '',
    `Stop → answering again: ${seconds(broker.backAtMs - broker.stopAtMs)} (${broker.note}). Checkouts in the step: ${countsLine(broker.counts)}. Broker back → every accepted payment terminal: ${terminalWaitText(broker.terminal)}.`,
    '',
    ...table(
      ['consumer instance', 'broker back → partitions', 'broker back → inbox applying again'],
      broker.resumes.map((resume) => [
        resume.instance,
        consumerWaitText(resume.assignment),
        consumerWaitText(resume.applying),
      ]),
    ),
    '',
  ];
}

function refusalRows(label: string, counts: CheckoutCounts): string[][] {
  return Object.entries(counts.refusedBy).map(([reason, count]) => [label, reason, String(count)]);
}

function trafficSection(run: RestartDrillRun): string[] {
  const { figures } = run;
  const refusals = [
    ...figures.rolling.rows.flatMap((row) => refusalRows(`(a) ${row.restart.instance}`, row.counts)),
    ...figures.kills.flatMap((kill) => refusalRows(`(b) ${kill.restart.instance}`, kill.counts)),
    ...refusalRows('(c) broker', figures.broker.counts),
    ...figures.quiet.flatMap((segment) => refusalRows(`quiet, ${segment.label}`, segment.counts)),
  ];
  return [
    '## All checkouts',
    '',
    ...table(
      ['', ...COUNT_HEADERS],
      [
        ...figures.quiet.map((segment) => [`quiet, ${segment.label}`, ...countCells(segment.counts)]),
        ['quiet traffic, all', ...countCells(figures.quietTotal)],
        ['whole drill', ...countCells(figures.overall)],
      ],
    ),
    '',
    `Machine load (1-minute load average; other work shares this machine): ${run.loadAverage.atStart.toFixed(1)} when the traffic started, ${run.loadAverage.atEnd.toFixed(1)} when the last step ended.`,
    '',
    ...(run.trafficRanOut
      ? ['Traffic reached `DRILL_TRAFFIC_MAX_S` before the drill ended: the last steps ran without it.', '']
      : []),
    '### Refusals by status and problem type',
    '',
    ...(refusals.length === 0
      ? ['None.']
      : table(['window', 'status and problem type', 'checkouts'], refusals)),
    '',
    shedLine(run.paymentSheds),
    '',
    ...unansweredSection(figures.unanswered),
  ];
}

/** Why payment shed: `concurrency` is its in-flight limit, `charge_backlog` the executor's backlog. */
function shedLine(sheds: RestartDrillRun['paymentSheds']): string {
  const reasons = Object.entries(sheds.byReason).filter(([, count]) => count > 0);
  const counted =
    reasons.length === 0 ? 'none' : reasons.map(([reason, count]) => `${reason} ${count}`).join(', ');
  const unread = sheds.unreadable === 0 ? '' : ` (${sheds.unreadable} readings failed)`;
  return `Payment's own count of the creates it shed (\`keel_http_shed_total\` by reason, every payment process of the drill read just before it was stopped or killed and at the end): ${counted}${unread}.`;
}

/** Each checkout that got no answer, so a failure can be traced to its moment in the services' logs. */
function unansweredSection(unanswered: RestartDrillFigures['unanswered']): string[] {
  const shown = unanswered.slice(0, UNANSWERED_LISTED_MAX);
  return [
    '### Checkouts with no answer',
    '',
    ...(unanswered.length === 0
      ? ['None.']
      : table(
          ['window', 'sent at (UTC)', 'failed after', 'cause', 'held by Keel'],
          shown.map((checkout) => [
            checkout.window,
            new Date(checkout.sentAtMs).toISOString().slice(11, 23),
            `${checkout.failedAfterMs} ms`,
            checkout.failure,
            checkout.held ? 'yes' : 'no',
          ]),
        )),
    ...(unanswered.length > shown.length
      ? ['', `The first ${shown.length} of ${unanswered.length}; the rest are left out.`]
      : []),
    '',
  ];
}

function invariantSection(run: RestartDrillRun): string[] {
  const { quiescence } = run;
  return [
    '## Invariants (the chaos checker, over the whole drill)',
    '',
    `Quiescence: ${quiescence.settled ? 'settled' : 'did not settle'} after ${seconds(quiescence.waitedMs)} (${quiescence.openPayments} payments still open).` +
      (run.unparsedRecords > 0 ? ` ${run.unparsedRecords} topic records did not parse.` : ''),
    '',
    ...run.figures.invariants.map((result) => `- ${invariantLine(result)}`),
    '',
  ];
}

export function restartDrillMarkdown(run: RestartDrillRun, command: string, startedAt: Date): string {
  const { settings, figures } = run;
  const prefix =
    settings.kafkaClient === DEFAULT_KAFKA_CLIENT_KIND ? '' : `KAFKA_CLIENT=${settings.kafkaClient} `;
  return [
    ...reportOpening('Restart drill (restart)', `${prefix}${command}`, startedAt),
    `Kafka client: ${settings.kafkaClient}. Result: ${summary(figures)}.`,
    '',
    "Issue 13's acceptance targets, each beside what this run measured:",
    '',
    ...table(
      ['step', 'target', 'measured', 'verdict'],
      figures.targets.map((target) => [target.step, target.target, target.measured, `**${target.verdict}**`]),
    ),
    '',
    ...setupSection(run),
    ...stepSections(run),
    ...trafficSection(run),
    ...invariantSection(run),
  ].join('\n');
}
