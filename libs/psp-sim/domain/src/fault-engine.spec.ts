import { SeededRandom, type RandomSource } from '@keel/seeded-random';
import { thrownBy } from '../test/thrown-by';
import { ISSUER_DOWN_MESSAGE, NO_FAULT, type FaultSpec, type FaultTarget } from './fault';
import { FaultEngine } from './fault-engine';
import { SimulatorErrorCode } from './simulator.error';

const NOW_MS = 1_700_000_000_000;
const ACME_CARD_SHINHAN: FaultTarget = { psp: 'acme', method: 'card', issuer: 'shinhan' };

function newEngine(random: RandomSource = () => 0.5, maxFaults = 10): FaultEngine {
  let next = 0;
  return new FaultEngine({ random, maxFaults, newId: () => `fault-${++next}` });
}

function engineWith(...specs: FaultSpec[]): FaultEngine {
  const engine = newEngine();
  for (const spec of specs) engine.add(spec, NOW_MS);
  return engine;
}

describe('FaultEngine', () => {
  describe('matching', () => {
    it('applies a fault to its PSP only', () => {
      const engine = engineWith({ psp: 'acme', errorRate: 1 });
      expect(engine.plan(ACME_CARD_SHINHAN, NOW_MS).action).toBe('unavailable');
      expect(engine.plan({ psp: 'nova', method: 'card', issuer: 'shinhan' }, NOW_MS).action).toBe('proceed');
    });

    it('narrows by method and by issuer, ignoring the issuer case', () => {
      const engine = engineWith({ psp: 'nova', method: 'bank', issuer: 'KB', errorRate: 1 });
      expect(engine.plan({ psp: 'nova', method: 'bank', issuer: 'kb' }, NOW_MS).action).toBe('unavailable');
      expect(engine.plan({ psp: 'nova', method: 'card', issuer: 'kb' }, NOW_MS).action).toBe('proceed');
      expect(engine.plan({ psp: 'nova', method: 'bank', issuer: 'woori' }, NOW_MS).action).toBe('proceed');
      expect(engine.plan({ psp: 'nova', method: 'bank', issuer: undefined }, NOW_MS).action).toBe('proceed');
    });

    it("applies an issuer's fault without a PSP at every PSP, to that issuer only", () => {
      const engine = engineWith({ issuer: 'Shinhan', errorRate: 1 });
      for (const psp of ['acme', 'nova', 'swiftpay'] as const) {
        expect(engine.plan({ psp, method: 'card', issuer: 'shinhan' }, NOW_MS).action).toBe('unavailable');
        expect(engine.plan({ psp, method: 'card', issuer: 'kb' }, NOW_MS).action).toBe('proceed');
      }
      expect(engine.refusedPsps(NOW_MS).size).toBe(0);
    });

    it('does not apply a method fault to a request of unknown method', () => {
      const engine = engineWith({ psp: 'acme', method: 'card', errorRate: 1 });
      expect(engine.plan({ psp: 'acme', method: undefined, issuer: undefined }, NOW_MS).action).toBe(
        'proceed',
      );
    });
  });

  describe('plans', () => {
    it('takes the longest latency of the matching faults', () => {
      const engine = engineWith({ psp: 'acme', latencyMs: 100 }, { psp: 'acme', latencyMs: 300 });
      expect(engine.plan(ACME_CARD_SHINHAN, NOW_MS)).toEqual({ latencyMs: 300, action: 'proceed' });
    });

    it('answers 503 in an outage "503", after its latency', () => {
      const engine = engineWith({ psp: 'acme', outage: '503', latencyMs: 50 });
      expect(engine.plan(ACME_CARD_SHINHAN, NOW_MS)).toEqual({ latencyMs: 50, action: 'unavailable' });
    });

    it('cuts the connection at once in an outage "refuse" and reports the PSP as refused', () => {
      const engine = engineWith({ psp: 'swiftpay', outage: 'refuse', latencyMs: 50 });
      expect(engine.plan({ psp: 'swiftpay', method: 'easy_pay', issuer: undefined }, NOW_MS)).toEqual({
        latencyMs: 0,
        action: 'refuse',
      });
      expect([...engine.refusedPsps(NOW_MS)]).toEqual(['swiftpay']);
    });

    it.each([
      [{ timeoutRate: 1 }, 'hang'],
      [{ chargeThenTimeoutRate: 1 }, 'proceed_then_hang'],
      [{ errorRate: 1, timeoutRate: 1 }, 'unavailable'],
      [{ errorRate: 0, latencyMs: 1 }, 'proceed'],
    ] as const)('%j → %s', (effects, action) => {
      expect(engineWith({ psp: 'acme', ...effects }).plan(ACME_CARD_SHINHAN, NOW_MS).action).toBe(action);
    });

    it('combines the rates of several faults as independent chances', () => {
      // Two faults of 0.5 strike with 0.75: a draw of 0.7 strikes, one of 0.8 does not.
      const draws = [0.7, 0.8];
      const engine = newEngine(() => draws.shift() ?? 1);
      engine.add({ psp: 'acme', errorRate: 0.5 }, NOW_MS);
      engine.add({ psp: 'acme', errorRate: 0.5 }, NOW_MS);
      expect(engine.plan(ACME_CARD_SHINHAN, NOW_MS).action).toBe('unavailable');
      expect(engine.plan(ACME_CARD_SHINHAN, NOW_MS).action).toBe('proceed');
    });

    it('draws the same decisions from the same seed', () => {
      const decide = (seed: number) => {
        const engine = newEngine(new SeededRandom(seed).next);
        engine.add({ psp: 'acme', errorRate: 0.3, timeoutRate: 0.3 }, NOW_MS);
        return Array.from({ length: 50 }, () => engine.plan(ACME_CARD_SHINHAN, NOW_MS).action);
      };
      expect(decide(42)).toEqual(decide(42));
      expect(new Set(decide(42)).size).toBeGreaterThan(1);
    });
  });

  describe('issuer declines', () => {
    it("declines with the fault's message, or the issuer-down message, where the fault matches", () => {
      const engine = engineWith(
        { issuer: 'shinhan', declineRate: 1, declineMessage: 'Shinhan is down for maintenance' },
        { psp: 'nova', method: 'bank', issuer: 'kb', declineRate: 1 },
      );
      expect(engine.issuerDecline({ psp: 'swiftpay', method: 'card', issuer: 'shinhan' }, NOW_MS)).toEqual({
        message: 'Shinhan is down for maintenance',
      });
      expect(engine.issuerDecline({ psp: 'nova', method: 'bank', issuer: 'kb' }, NOW_MS)).toEqual({
        message: ISSUER_DOWN_MESSAGE,
      });
      expect(engine.issuerDecline({ psp: 'acme', method: 'card', issuer: 'kb' }, NOW_MS)).toBeUndefined();
    });

    it('leaves the request itself alone: the PSP answers, and the decline is its answer', () => {
      const engine = engineWith({ issuer: 'shinhan', declineRate: 1 });
      expect(engine.plan(ACME_CARD_SHINHAN, NOW_MS)).toEqual(NO_FAULT);
    });

    it('declines a share of the charges, and draws nothing without a decline rate', () => {
      const draws = [0.2, 0.7];
      const random = jest.fn(() => draws.shift() ?? 1);
      const engine = newEngine(random);
      engine.add({ psp: 'acme', errorRate: 0.5 }, NOW_MS);
      expect(engine.issuerDecline(ACME_CARD_SHINHAN, NOW_MS)).toBeUndefined();
      expect(random).not.toHaveBeenCalled();
      engine.add({ issuer: 'shinhan', declineRate: 0.5 }, NOW_MS);
      expect(engine.issuerDecline(ACME_CARD_SHINHAN, NOW_MS)).toEqual({ message: ISSUER_DOWN_MESSAGE });
      expect(engine.issuerDecline(ACME_CARD_SHINHAN, NOW_MS)).toBeUndefined();
      expect(random).toHaveBeenCalledTimes(2);
    });
  });

  describe('webhook plans', () => {
    it('sends a webhook once, at once, and draws nothing without a webhook fault', () => {
      const random = jest.fn(() => 0.5);
      const engine = newEngine(random);
      engine.add({ psp: 'acme', errorRate: 0.5 }, NOW_MS);
      expect(engine.webhookPlan(ACME_CARD_SHINHAN, NOW_MS)).toEqual({ delaysMs: [0] });
      expect(random).not.toHaveBeenCalled();
    });

    it('duplicates a webhook two or three times when the duplicate rate strikes', () => {
      const twice = newEngine(() => 0.2);
      twice.add({ psp: 'acme', webhookDuplicateRate: 1 }, NOW_MS);
      expect(twice.webhookPlan(ACME_CARD_SHINHAN, NOW_MS)).toEqual({ delaysMs: [0, 0] });
      const thrice = newEngine(() => 0.7);
      thrice.add({ psp: 'acme', webhookDuplicateRate: 1 }, NOW_MS);
      expect(thrice.webhookPlan(ACME_CARD_SHINHAN, NOW_MS)).toEqual({ delaysMs: [0, 0, 0] });
      expect(thrice.webhookPlan({ psp: 'nova', method: 'card', issuer: undefined }, NOW_MS)).toEqual({
        delaysMs: [0],
      });
    });

    it('gives every copy its own delay up to the longest webhookDelayMs, so events can swap order', () => {
      const engine = newEngine(new SeededRandom(7).next);
      engine.add({ psp: 'acme', webhookDelayMs: 1_000 }, NOW_MS);
      engine.add({ psp: 'acme', webhookDelayMs: 3_000, webhookDuplicateRate: 1 }, NOW_MS);
      const delays = Array.from(
        { length: 100 },
        () => engine.webhookPlan(ACME_CARD_SHINHAN, NOW_MS).delaysMs,
      ).flat();
      expect(delays.length).toBeGreaterThanOrEqual(200);
      expect(delays.every((delayMs) => Number.isInteger(delayMs) && delayMs >= 0 && delayMs <= 3_000)).toBe(
        true,
      );
      expect(delays.some((delayMs) => delayMs > 1_000)).toBe(true);
    });
  });

  describe('lifetime', () => {
    it('ends a fault at untilMs and says when the next one ends', () => {
      const engine = engineWith(
        { psp: 'acme', outage: 'refuse', untilMs: NOW_MS + 1_000 },
        { psp: 'nova', errorRate: 1, untilMs: NOW_MS + 5_000 },
      );
      expect(engine.nextExpiryMs(NOW_MS)).toBe(NOW_MS + 1_000);
      expect(engine.refusedPsps(NOW_MS + 999).has('acme')).toBe(true);
      expect(engine.refusedPsps(NOW_MS + 1_000).size).toBe(0);
      expect(engine.nextExpiryMs(NOW_MS + 1_000)).toBe(NOW_MS + 5_000);
      expect(engine.active(NOW_MS + 5_000)).toEqual([]);
    });

    it('removes one fault by id, or all', () => {
      const engine = engineWith({ psp: 'acme', errorRate: 1 }, { psp: 'nova', errorRate: 1 });
      const [first] = engine.active(NOW_MS);
      expect(engine.remove(first?.id ?? '')).toBe(true);
      expect(engine.remove(first?.id ?? '')).toBe(false);
      expect(engine.active(NOW_MS).map((fault) => fault.psp)).toEqual(['nova']);
      engine.clear();
      expect(engine.active(NOW_MS)).toEqual([]);
    });
  });

  describe('validation', () => {
    it.each([
      [{ psp: 'acme' }, 'at least one effect'],
      [{ psp: 'acme', errorRate: 1.5 }, 'errorRate must be within [0, 1]'],
      [{ psp: 'acme', latencyMs: -1 }, 'latencyMs'],
      [{ psp: 'acme', webhookDuplicateRate: 2 }, 'webhookDuplicateRate must be within [0, 1]'],
      [{ psp: 'acme', webhookDelayMs: 0.5 }, 'webhookDelayMs must be a non-negative integer'],
      [{ psp: 'acme', errorRate: 1, untilMs: NOW_MS }, 'already past'],
      [{ psp: 'acme', outage: 'refuse', method: 'card' }, 'cannot target a method or an issuer'],
      [{ errorRate: 1 }, 'a fault needs a psp, or an issuer to fault at every PSP'],
      [{ method: 'card', declineRate: 1 }, 'a fault needs a psp, or an issuer'],
      [{ issuer: 'kb', outage: 'refuse' }, 'cannot target a method or an issuer'],
      [{ issuer: 'kb', declineRate: 1.5 }, 'declineRate must be within [0, 1]'],
      [{ issuer: 'kb', errorRate: 1, declineMessage: 'down' }, 'declineMessage needs a declineRate above 0'],
      [{ issuer: 'kb', declineRate: 1, declineMessage: '' }, 'declineMessage must be 1 to 200 characters'],
      [
        { issuer: 'kb', declineRate: 1, declineMessage: 'x'.repeat(201) },
        'declineMessage must be 1 to 200 characters',
      ],
    ] as const)('refuses %j', (spec, message) => {
      const error = thrownBy(() => newEngine().add(spec, NOW_MS));
      expect(error).toMatchObject({ code: SimulatorErrorCode.InvalidFault });
      expect((error as Error).message).toContain(message);
    });

    it('holds at most maxFaults', () => {
      const engine = newEngine(() => 0.5, 1);
      engine.add({ psp: 'acme', errorRate: 1 }, NOW_MS);
      expect(thrownBy(() => engine.add({ psp: 'nova', errorRate: 1 }, NOW_MS))).toMatchObject({
        code: SimulatorErrorCode.TooManyFaults,
      });
    });
  });
});
