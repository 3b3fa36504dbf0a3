import type { ChargeThenTimeoutFigures } from './charge-then-timeout.figures';
import { percent, reportOpening } from './drill';

export function chargeThenTimeoutLines(figures: ChargeThenTimeoutFigures): string[] {
  const { payments, resolvedBy, chargeToTerminalMs } = figures;
  return [
    `traffic: ${figures.ratePerSecond} card payments/s for ${figures.durationS} s, open loop (${payments.sent} sent, ${payments.accepted} accepted)`,
    `fault: acme chargeThenTimeoutRate ${figures.chargeThenTimeoutRate} for the whole sending window; PSP_TIMEOUT_MS=${figures.pspTimeoutMs}, PSP_SIM_HANG_MS=${figures.simHangMs}; acme webhooks ${figures.acmeWebhooks}`,
    `all payments: ${payments.completed} completed, ${payments.failed} failed, ${payments.notTerminal} not terminal after the drain`,
    `payment orders (executor): ${figures.ordersExamined} examined, by status ${JSON.stringify(figures.ordersByStatus)}`,
    `orders whose charge timed out (charge attempt outcome unknown_outcome): ${figures.timedOutOrders} (${percent(figures.timedOutOrders, figures.chargesByPsp['acme'] ?? 0)} of the orders charged at acme); error codes ${JSON.stringify(figures.timeoutErrorCodes)}`,
    `timed-out orders settled by: status inquiry ${resolvedBy.inquiry}, a later charge with the same key ${resolvedBy.charge}, neither (webhook or unsettled) ${resolvedBy.other}`,
    `status inquiries for them: ${figures.inquiries.made} (${figures.inquiries.unanswered} of them unanswered: timed out too while the fault was on, or unavailable)`,
    `timed-out charge sent → order terminal: ${chargeToTerminalMs === undefined ? 'n/a' : `median ${chargeToTerminalMs.median} ms, max ${chargeToTerminalMs.max} ms`}`,
    `orders left in unknown: ${figures.ordersInUnknown}; orders not terminal: ${figures.ordersNotTerminal}`,
    `terminal orders disagreeing with the simulator (succeeded ⇔ approved charge): ${figures.wrongTerminalState}`,
    `charges (simulator ground truth): ${figures.chargedOrders} orders charged, ${figures.ordersChargedMoreThanOnce} charged more than once; by PSP ${JSON.stringify(figures.chargesByPsp)}; ${figures.repeatedChargeRequests} charges requested more than once with the same key`,
  ];
}

export function chargeThenTimeoutMarkdown(
  figures: ChargeThenTimeoutFigures,
  command: string,
  startedAt: Date,
  passed: boolean,
): string {
  return [
    ...reportOpening('Resilience: PSP charges then times out (charge-then-timeout)', command, startedAt),
    'Every Keel service, psp-sim and fresh databases and topics on this one machine (KeelSystem,',
    'isolated like the e2e test). Card routing: acme 70 / nova 30. psp-sim fault',
    `\`{ psp: 'acme', chargeThenTimeoutRate: ${figures.chargeThenTimeoutRate} }\` while traffic is sent: acme takes the`,
    'charge, then holds the answer; the executor gives up after `PSP_TIMEOUT_MS`, marks the order',
    '`unknown` and resolves it by status inquiry. The fault is removed when sending stops, then the',
    'run drains until every payment is terminal (bounded by `RESILIENCE_DRAIN_TIMEOUT_S`).',
    `The isolated system runs with \`PSP_TIMEOUT_MS=${figures.pspTimeoutMs}\` (executor, default 5000) and`,
    `\`PSP_SIM_HANG_MS=${figures.simHangMs}\` (psp-sim, default 30000; longer than the timeout so the executor`,
    'times out rather than seeing the connection drop) to keep the run short. Other executor settings',
    'at their defaults (inquiry backoff from 1 s).',
    '',
    "psp-sim posts acme's `charge.succeeded` webhook the moment it takes a charge, before it starts",
    'holding the answer, so with webhooks delivered the executor settles every such order by webhook',
    'within milliseconds and never needs an inquiry. To test the inquiry path, the run makes acme',
    "webhooks lost by default (`RESILIENCE_ACME_WEBHOOKS=lost`): psp-sim signs acme's webhooks with",
    "`PSP_SIM_ACME_WEBHOOK_SECRET=whsec_resilience_not_the_executors` (not the executor's secret) and",
    '`PSP_SIM_WEBHOOK_MAX_RETRIES=0`, so the executor refuses each once (401, a `webhook rejected`',
    'security log line, no state change). `RESILIENCE_ACME_WEBHOOKS=delivered` keeps them.',
    '',
    'Where the figures come from: timed-out orders and how they were settled from the executor',
    '(`GET /v1/payment-orders/{id}`: the attempt rows, written before each PSP call; a charge whose',
    'outcome is `unknown_outcome`); charges per order from psp-sim (`GET /admin/charges`, approved',
    "charges per idempotency key = payment order id, at every PSP). psp-sim's `attempts` counts",
    'repeated requests with the same key, which idempotency absorbs: it is not a double charge and',
    'does not identify a timed-out charge (an inquiry is not a charge request).',
    '',
    '## Figures',
    '',
    ...chargeThenTimeoutLines(figures).map((line) => `- ${line}`),
    '',
    `Result: ${passed ? 'passed' : 'FAILED'} (zero double charges, zero orders in \`unknown\`, every order and payment terminal, every order agreeing with the simulator).`,
    '',
  ].join('\n');
}
