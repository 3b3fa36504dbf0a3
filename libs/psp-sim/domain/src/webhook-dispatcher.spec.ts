import { ManualScheduler } from '../test/manual-scheduler';
import {
  WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookMessage,
  type WebhookOutcome,
  type WebhookRequest,
} from './webhook-dispatcher';
import { signWebhook } from './webhook-signature';

const MESSAGE: WebhookMessage = {
  psp: 'acme',
  eventId: 'evt_1',
  url: 'http://receiver.test/hooks',
  contentType: 'application/json',
  signatureHeader: 'acme-signature',
  secret: 'whsec_acme_test',
  body: '{"id":"evt_1"}',
};

/** Lets the transport's promise and the dispatcher's continuation run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function harness(answers: (number | Error)[], overrides: Partial<WebhookDispatcherOptions> = {}) {
  const scheduler = new ManualScheduler();
  const requests: WebhookRequest[] = [];
  const outcomes: WebhookOutcome[] = [];
  const dispatcher = new WebhookDispatcher({
    transport: async (request) => {
      requests.push(request);
      const answer = answers.shift() ?? 200;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    scheduler,
    maxRetries: 5,
    backoffBaseMs: 1_000,
    backoffMaxMs: 8_000,
    attemptTimeoutMs: 5_000,
    maxInProgress: 10,
    onOutcome: (outcome) => outcomes.push(outcome),
    ...overrides,
  });
  return { scheduler, requests, outcomes, dispatcher };
}

describe('WebhookDispatcher', () => {
  it('posts the body as is, signed at the time of sending', async () => {
    const { scheduler, requests, outcomes, dispatcher } = harness([204]);
    dispatcher.enqueue(MESSAGE);
    await settle();
    const timestampSeconds = Math.floor(scheduler.nowMs() / 1000);
    expect(requests[0]).toMatchObject({
      url: MESSAGE.url,
      body: MESSAGE.body,
      headers: {
        'content-type': 'application/json',
        'acme-signature': signWebhook(MESSAGE.secret, MESSAGE.body, timestampSeconds),
      },
    });
    expect(outcomes).toEqual([{ message: MESSAGE, attempt: 1, result: 'delivered', status: 204 }]);
    expect(dispatcher.inProgress).toBe(0);
  });

  it('retries failures with doubling, capped backoff until a 2xx', async () => {
    const { scheduler, requests, outcomes, dispatcher } = harness([500, new Error('ECONNREFUSED'), 404, 200]);
    dispatcher.enqueue(MESSAGE);
    await settle();
    for (const delayMs of [1_000, 2_000, 4_000]) {
      scheduler.advance(delayMs - 1);
      await settle();
      const before = requests.length;
      scheduler.advance(1);
      await settle();
      expect(requests.length).toBe(before + 1);
    }
    expect(outcomes.map((outcome) => outcome.result)).toEqual([
      'will_retry',
      'will_retry',
      'will_retry',
      'delivered',
    ]);
    expect(outcomes[1]).toMatchObject({ error: 'ECONNREFUSED' });
    expect(dispatcher.backoffMs(5)).toBe(8_000);
  });

  it('gives up after maxRetries retries', async () => {
    const { scheduler, requests, outcomes, dispatcher } = harness(
      Array.from({ length: 10 }, () => 503),
      {
        maxRetries: 5,
      },
    );
    dispatcher.enqueue(MESSAGE);
    for (let step = 0; step < 10; step += 1) {
      await settle();
      scheduler.advance(10_000);
    }
    await settle();
    expect(requests).toHaveLength(6);
    expect(outcomes.at(-1)).toMatchObject({ attempt: 6, result: 'gave_up', status: 503 });
    expect(dispatcher.inProgress).toBe(0);
  });

  it('drops messages beyond maxInProgress and reports them', async () => {
    const { outcomes, dispatcher } = harness([500, 500], { maxInProgress: 1 });
    expect(dispatcher.enqueue(MESSAGE)).toBe(true);
    expect(dispatcher.enqueue({ ...MESSAGE, eventId: 'evt_2' })).toBe(false);
    await settle();
    expect(outcomes.map((outcome) => [outcome.message.eventId, outcome.result])).toEqual([
      ['evt_2', 'dropped'],
      ['evt_1', 'will_retry'],
    ]);
  });

  it('abandons deliveries on clear: no retry is made', async () => {
    const { scheduler, requests, dispatcher } = harness([500, 500]);
    dispatcher.enqueue(MESSAGE);
    await settle();
    dispatcher.clear();
    scheduler.advance(60_000);
    await settle();
    expect(requests).toHaveLength(1);
    expect(dispatcher.inProgress).toBe(0);
    expect(scheduler.scheduledCount).toBe(0);
  });
});
