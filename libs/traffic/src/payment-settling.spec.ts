import { lastTerminalAfterMs, settlingState } from './payment-settling';
import type { DrillCheckout } from './steady-traffic';

const answered = (
  sentAtMs: number,
  answer: Partial<NonNullable<DrillCheckout['answer']>>,
): DrillCheckout => ({
  sentAtMs,
  answer: {
    idempotencyKey: `key_${sentAtMs}`,
    checkoutId: `drill-key_${sentAtMs}`,
    answeredAtMs: sentAtMs + 5,
    ...answer,
  },
});
const accepted = (sentAtMs: number, paymentId: string) => answered(sentAtMs, { httpStatus: 202, paymentId });
const refused = (sentAtMs: number, httpStatus: number) => answered(sentAtMs, { httpStatus });
const unanswered = (sentAtMs: number) => answered(sentAtMs, { failure: 'ECONNRESET' });

const withStatus = (checkout: DrillCheckout, status: string, updatedAtMs: number): DrillCheckout => ({
  ...checkout,
  status,
  updatedAtMs,
});

describe('settlingState', () => {
  it('looks only at checkouts sent before the moment: accepted ones still open, oldest first', () => {
    const checkouts = [
      withStatus(accepted(1_000, 'done'), 'completed', 3_000),
      accepted(2_000, 'open_old'),
      refused(2_500, 503),
      withStatus(accepted(3_000, 'open_new'), 'processing', 3_100),
      accepted(9_000, 'after'),
    ];
    const state = settlingState(checkouts, 5_000);
    expect(state.unanswered).toBe(0);
    expect(state.accepted.map((checkout) => checkout.answer?.paymentId)).toEqual([
      'done',
      'open_old',
      'open_new',
    ]);
    expect(state.open.map((checkout) => checkout.answer?.paymentId)).toEqual(['open_old', 'open_new']);
  });

  it('counts a checkout still waiting for its answer as unanswered, not as failed', () => {
    const inFlight: DrillCheckout = { sentAtMs: 1_000 };
    expect(settlingState([inFlight, unanswered(1_500)], 2_000).unanswered).toBe(1);
  });
});

describe('lastTerminalAfterMs', () => {
  it('is the last updatedAt after the moment, or 0 when every payment finished before it', () => {
    const finished = [
      withStatus(accepted(1_000, 'a'), 'completed', 6_500),
      withStatus(accepted(2_000, 'b'), 'failed', 9_250),
    ];
    expect(lastTerminalAfterMs(finished, 5_000)).toBe(4_250);
    expect(lastTerminalAfterMs(finished, 10_000)).toBe(0);
    expect(lastTerminalAfterMs([], 10_000)).toBe(0);
  });
});
