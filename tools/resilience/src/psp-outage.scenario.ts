import { EVENT_TYPES, TOPICS } from '@keel/contracts';
import type { IsolatedSystem } from '@keel/local-system';
import { headerAsString } from '@keel/messaging';
import { TopicReader } from '@keel/testing';
import { drillPaymentApi, numberSetting, sendCardTrafficUnderFault } from './drill';
import { markdownReport, reportLines, type OutageFigures } from './psp-outage.report';
import { onIsolatedSystem, type Scenario } from './scenario';

interface BreakerEvent {
  readonly state: string;
  readonly changedAtMs: number;
}

function acmeBreakerEvents(reader: TopicReader): BreakerEvent[] {
  return reader.records
    .filter((record) => headerAsString(record.headers['ce_type']) === EVENT_TYPES.pspBreakerStateChanged)
    .map((record) => JSON.parse(record.value?.toString('utf8') ?? '{}') as Record<string, unknown>)
    .filter((data) => data['pspId'] === 'acme' && data['paymentMethodType'] === undefined)
    .map((data) => ({ state: String(data['state']), changedAtMs: Date.parse(String(data['changedAt'])) }));
}

async function run(isolated: IsolatedSystem): Promise<OutageFigures> {
  const ratePerSecond = numberSetting('RESILIENCE_RATE_PER_S', 20);
  const durationS = numberSetting('RESILIENCE_DURATION_S', 30);
  const outageStartS = numberSetting('RESILIENCE_OUTAGE_START_S', 10);
  const outageEndS = numberSetting('RESILIENCE_OUTAGE_END_S', 20);
  const drainTimeoutMs = numberSetting('RESILIENCE_DRAIN_TIMEOUT_S', 120) * 1_000;
  const { system, namespace } = isolated;
  const payment = await drillPaymentApi(system);
  const simUrl = system.url('psp-sim');
  const reader = await TopicReader.start(namespace.kafka, namespace.topic(TOPICS.psp));
  const { sent, startMs, tally, truth } = await sendCardTrafficUnderFault({
    payment,
    simUrl,
    plan: { ratePerSecond, durationS },
    fault: { psp: 'acme', outage: 'refuse' },
    window: { fromS: outageStartS, untilS: outageEndS },
    drainTimeoutMs,
  });
  const outageAtMs = startMs + outageStartS * 1_000;
  const recoveryAtMs = startMs + outageEndS * 1_000;
  const events = acmeBreakerEvents(reader);
  await reader.stop();
  const opened = events.find((event) => event.state === 'open' && event.changedAtMs >= outageAtMs);
  const closed = events.find((event) => event.state === 'closed' && event.changedAtMs >= recoveryAtMs);
  const during = sent.filter((entry) => entry.atMs >= outageAtMs && entry.atMs < recoveryAtMs);
  return {
    ratePerSecond,
    durationS,
    outageStartS,
    outageEndS,
    breakerOpenAfterMs: opened === undefined ? undefined : opened.changedAtMs - outageAtMs,
    duringOutage: {
      sent: during.length,
      completed: during.filter((entry) => entry.status === 'completed').length,
    },
    overall: tally,
    acmeStates: events.map((event) => event.state),
    closedAfterRecoveryMs: closed === undefined ? undefined : closed.changedAtMs - recoveryAtMs,
    ...truth,
  };
}

/** acme refuses connections for a window of open-loop card traffic: failover, breaker, recovery. */
export const pspOutageScenario: Scenario = {
  name: 'psp-outage',
  run: async () => {
    const figures = await onIsolatedSystem({}, run);
    return {
      lines: reportLines(figures),
      reportFile: 'resilience-psp-outage.md',
      markdown: (command, startedAt) => markdownReport(figures, command, startedAt),
      passed: figures.ordersChargedMoreThanOnce === 0 && figures.overall.notTerminal === 0,
    };
  },
};
