import { setTimeout as sleep } from 'node:timers/promises';
import { loadavg } from 'node:os';
import type { KeelServiceName } from '@keel/local-system';
import { SteadyTraffic } from '@keel/traffic';
import { startChaosEnvironment } from './borrowed-tool-parts';
import { PaymentSheds } from './payment-sheds';
import { restartDrillFigures } from './restart-drill.figures';
import { checkDrill } from './restart-drill.checker';
import {
  CONSUMER_SERVICES,
  type DrillObservations,
  type KillObservation,
} from './restart-drill.observations';
import { restartDrillLines, restartDrillMarkdown, type RestartDrillRun } from './restart-drill.report';
import { restartDrillReportFile, restartDrillSettings } from './restart-drill.settings';
import { brokerRestart, killAndRestart, rollingRestart, type DrillContext } from './restart-drill.steps';
import type { Scenario } from './scenario';
import { drillPaymentApi, postDrillPayment } from './drill';

const log = (line: string): void => console.log(line);

/**
 * The three steps in order on one system under steady traffic. The next step starts only once the
 * last one's window has closed (DRILL_WINDOW_AFTER_BACK_S after it was back) and DRILL_SETTLE_S of
 * quiet traffic followed it, so that no checkout belongs to two steps.
 */
async function runSteps(context: DrillContext): Promise<DrillObservations> {
  const { settleS, windowAfterBackS } = context.settings;
  const settleAfter = async (backAtMs: number) => {
    await sleep(backAtMs + windowAfterBackS * 1_000 - Date.now());
    await sleep(settleS * 1_000);
  };
  await sleep(settleS * 1_000);
  log('(a) rolling restart of every service');
  const rolling = await rollingRestart(context);
  await settleAfter(rolling.restarts[rolling.restarts.length - 1]?.readyAtMs ?? Date.now());
  log('(b) SIGKILL of each consumer service');
  const kills: KillObservation[] = [];
  for (const service of CONSUMER_SERVICES as readonly KeelServiceName[]) {
    const kill = await killAndRestart(context, service);
    kills.push(kill);
    await settleAfter(kill.restart.readyAtMs);
  }
  log('(c) broker restart');
  const broker = await brokerRestart(context);
  await settleAfter(broker.backAtMs);
  return { rolling, kills, broker };
}

async function run(): Promise<RestartDrillRun> {
  const settings = restartDrillSettings();
  log(
    `restart drill: Kafka client ${settings.kafkaClient}, ${settings.ratePerSecond} checkouts/s, ${settings.paymentInstances} payment instances; starting the system`,
  );
  const environment = await startChaosEnvironment({
    label: 'restart_drill',
    environment: { KAFKA_CLIENT: settings.kafkaClient },
    instances: { payment: settings.paymentInstances },
  });
  try {
    const payment = await drillPaymentApi(environment.system);
    const traffic = SteadyTraffic.start(
      () => postDrillPayment(payment),
      settings.ratePerSecond,
      settings.trafficMaxS,
    );
    const loadAtStart = loadavg()[0] ?? 0;
    const paymentSheds = new PaymentSheds(() => environment.system.operatorAuthorization('viewer'));
    const observations = await runSteps({ environment, traffic, payment, settings, log, paymentSheds });
    const loadAtEnd = loadavg()[0] ?? 0;
    const { ranOut } = await traffic.stop();
    for (const instance of environment.system.instances('payment')) await paymentSheds.record(instance.url);
    log(
      `traffic stopped: ${traffic.checkouts.length} checkouts; waiting for quiescence, then the invariants`,
    );
    const check = await checkDrill(environment, traffic.checkouts, observations.broker.backAtMs, {
      quiescenceTimeoutMs: settings.quiescenceTimeoutS * 1_000,
      terminalBoundMs: settings.terminalBoundS * 1_000,
    });
    return {
      settings,
      figures: restartDrillFigures(
        observations,
        traffic.checkouts,
        check.final,
        check.invariants,
        settings.windowAfterBackS * 1_000,
      ),
      loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
      quiescence: check.quiescence,
      unparsedRecords: check.unparsedRecords,
      trafficRanOut: ranOut,
      paymentSheds: paymentSheds.summary(),
    };
  } finally {
    await environment.stop();
  }
}

/**
 * Issue 13's restart drill: under steady traffic, (a) a rolling restart of every service, (b) each
 * consumer service killed and started again later, (c) the broker restarted; per step the
 * checkouts refused, failed and lost and the recovery times beside their targets, then the chaos
 * checker's invariants over the whole drill.
 */
export const restartDrillScenario: Scenario = {
  name: 'restart',
  run: async () => {
    const drill = await run();
    return {
      lines: restartDrillLines(drill),
      reportFile: restartDrillReportFile(drill.settings),
      markdown: (command, startedAt) => restartDrillMarkdown(drill, command, startedAt),
      passed: drill.figures.passed,
    };
  },
};
