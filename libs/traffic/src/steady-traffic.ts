import type { CardPaymentAnswer } from './card-payment';
import { runOpenLoop } from './open-loop';

/** One checkout of a drill: when it was sent, its answer once it came, its payment as last read. */
export interface DrillCheckout {
  readonly sentAtMs: number;
  answer?: CardPaymentAnswer;
  /** The payment's status as last read from the payment API. */
  status?: string;
  /** The payment's `updatedAt` at that read (epoch ms): when it became terminal, once it is. */
  updatedAtMs?: number;
}

/**
 * Open-loop checkouts at a fixed rate from start() until stop(), however long the drill's steps
 * take (at most `maxS`): every checkout is recorded as it is sent and completed as it is answered.
 * `checkouts[index]` is the checkout `send(index)` made.
 */
export class SteadyTraffic {
  readonly checkouts: DrillCheckout[] = [];
  private readonly stopping = new AbortController();
  private readonly sending: Promise<void>;
  private ranOutAtMs: number | undefined;

  private constructor(
    send: (index: number) => Promise<CardPaymentAnswer>,
    ratePerSecond: number,
    maxS: number,
  ) {
    const plan = { ratePerSecond, durationS: maxS, startMs: Date.now() };
    this.sending = runOpenLoop(
      plan,
      async (index) => {
        const checkout: DrillCheckout = { sentAtMs: Date.now() };
        this.checkouts.push(checkout);
        checkout.answer = await send(index);
      },
      this.stopping.signal,
    ).then(() => {
      if (!this.stopping.signal.aborted) this.ranOutAtMs = Date.now();
    });
  }

  /** `send(index)` posts the index-th checkout and resolves with its answer. */
  static start(
    send: (index: number) => Promise<CardPaymentAnswer>,
    ratePerSecond: number,
    maxS: number,
  ): SteadyTraffic {
    return new SteadyTraffic(send, ratePerSecond, maxS);
  }

  /**
   * Sends nothing more; resolves once every checkout sent has its answer, with when the traffic
   * ended and whether it had already run out (reached `maxS`) before it was told to stop.
   */
  async stop(): Promise<{ endedAtMs: number; ranOut: boolean }> {
    const stoppedAtMs = Date.now();
    this.stopping.abort();
    await this.sending;
    return { endedAtMs: this.ranOutAtMs ?? stoppedAtMs, ranOut: this.ranOutAtMs !== undefined };
  }
}
