import type { IsolatedSystem } from '@keel/local-system';
import {
  chargeThenTimeoutFigures,
  chargeThenTimeoutPassed,
  type ChargeThenTimeoutFigures,
  type ChargeThenTimeoutSettings,
} from './charge-then-timeout.figures';
import { chargeThenTimeoutLines, chargeThenTimeoutMarkdown } from './charge-then-timeout.report';
import { drillPaymentApi, numberSetting, sendCardTrafficUnderFault } from './drill';
import { fetchExecutorOrders } from './executor-orders';
import { onIsolatedSystem, type Scenario } from './scenario';

const WEBHOOK_MODES = ['lost', 'delivered'] as const;

/**
 * psp-sim sends acme's `charge.succeeded` webhook as it takes the charge, so with webhooks delivered
 * the executor learns the outcome before its own call times out and no inquiry is ever needed. By
 * default acme signs them with a secret the executor does not hold (and sends each once): the
 * executor refuses them (401) and the unknown outcomes can only be resolved by status inquiry.
 */
function webhookMode(): ChargeThenTimeoutSettings['acmeWebhooks'] {
  const raw = process.env['RESILIENCE_ACME_WEBHOOKS'] ?? 'lost';
  const mode = WEBHOOK_MODES.find((known) => known === raw);
  if (mode === undefined) throw new Error(`RESILIENCE_ACME_WEBHOOKS must be lost or delivered, got "${raw}"`);
  return mode;
}

function settings(): ChargeThenTimeoutSettings {
  return {
    acmeWebhooks: webhookMode(),
    ratePerSecond: numberSetting('RESILIENCE_RATE_PER_S', 5),
    durationS: numberSetting('RESILIENCE_DURATION_S', 30),
    chargeThenTimeoutRate: numberSetting('RESILIENCE_CHARGE_THEN_TIMEOUT_RATE', 0.2),
    pspTimeoutMs: numberSetting('RESILIENCE_PSP_TIMEOUT_MS', 2_000),
    simHangMs: numberSetting('RESILIENCE_PSP_SIM_HANG_MS', 10_000),
  };
}

const LOST_WEBHOOKS_ENVIRONMENT: NodeJS.ProcessEnv = {
  PSP_SIM_ACME_WEBHOOK_SECRET: 'whsec_resilience_not_the_executors',
  PSP_SIM_WEBHOOK_MAX_RETRIES: '0',
};

async function run(
  isolated: IsolatedSystem,
  setup: ChargeThenTimeoutSettings,
): Promise<ChargeThenTimeoutFigures> {
  const drainTimeoutMs = numberSetting('RESILIENCE_DRAIN_TIMEOUT_S', 120) * 1_000;
  const { system } = isolated;
  const payment = await drillPaymentApi(system);
  const simUrl = system.url('psp-sim');
  const { sent, tally, charges, truth } = await sendCardTrafficUnderFault({
    payment,
    simUrl,
    plan: setup,
    fault: { psp: 'acme', chargeThenTimeoutRate: setup.chargeThenTimeoutRate },
    drainTimeoutMs,
  });
  const orderIds = sent.flatMap((entry) => entry.paymentOrderIds ?? []);
  const orders = await fetchExecutorOrders(
    system.url('executor'),
    system.operatorAuthorization('viewer'),
    orderIds,
  );
  return chargeThenTimeoutFigures(setup, tally, orders, charges, truth);
}

/** acme charges, then never answers, for a share of requests: unknown outcomes resolved by inquiry. */
export const chargeThenTimeoutScenario: Scenario = {
  name: 'charge-then-timeout',
  run: async () => {
    const setup = settings();
    const environment: NodeJS.ProcessEnv = {
      PSP_TIMEOUT_MS: String(setup.pspTimeoutMs),
      PSP_SIM_HANG_MS: String(setup.simHangMs),
      ...(setup.acmeWebhooks === 'lost' ? LOST_WEBHOOKS_ENVIRONMENT : {}),
    };
    const figures = await onIsolatedSystem(environment, (isolated) => run(isolated, setup));
    const passed = chargeThenTimeoutPassed(figures);
    return {
      lines: chargeThenTimeoutLines(figures),
      reportFile: 'resilience-charge-then-timeout.md',
      markdown: (command, startedAt) => chargeThenTimeoutMarkdown(figures, command, startedAt, passed),
      passed,
    };
  },
};
