import { FAULT_CLASSES, laneOf, type ScheduledFault } from '../faults/fault';
import { buildFaultSchedule, QUIET_TAIL_SHARE } from './fault-schedule';

const LONG = { durationMs: 25 * 60_000, faultsPerClass: 10 };

function overlapsOnSameTarget(schedule: readonly ScheduledFault[]): ScheduledFault[] {
  return schedule.filter((fault, index) =>
    schedule.some(
      (other, otherIndex) =>
        otherIndex !== index &&
        laneOf(other) === laneOf(fault) &&
        other.atMs < fault.atMs + fault.durationMs &&
        fault.atMs < other.atMs + other.durationMs,
    ),
  );
}

describe('buildFaultSchedule', () => {
  it('is deterministic: the same seed gives the same schedule, another seed another', () => {
    expect(buildFaultSchedule(2026, LONG)).toEqual(buildFaultSchedule(2026, LONG));
    expect(buildFaultSchedule(2026, LONG)).not.toEqual(buildFaultSchedule(2027, LONG));
  });

  it('schedules faultsPerClass faults of every class, or of the chosen ones', () => {
    const schedule = buildFaultSchedule(1, LONG);
    for (const faultClass of FAULT_CLASSES) {
      expect(schedule.filter((fault) => fault.faultClass === faultClass)).toHaveLength(10);
    }
    const chosen = buildFaultSchedule(1, { ...LONG, classes: ['psp-outage', 'service-kill'] });
    expect(new Set(chosen.map((fault) => fault.faultClass))).toEqual(new Set(['psp-outage', 'service-kill']));
    expect(chosen).toHaveLength(20);
  });

  it.each([1, 2, 3, 99, 123_456])(
    'keeps seed %i within bounds, quiet at the end, without overlaps',
    (seed) => {
      const schedule = buildFaultSchedule(seed, LONG);
      const quietFromMs = (1 - QUIET_TAIL_SHARE) * LONG.durationMs;
      for (const fault of schedule) {
        expect(fault.atMs).toBeGreaterThanOrEqual(0);
        expect(fault.atMs + fault.durationMs).toBeLessThanOrEqual(quietFromMs);
        const [min, max] = fault.faultClass === 'kafka-broker-restart' ? [5_000, 15_000] : [2_000, 15_000];
        expect(fault.durationMs).toBeGreaterThanOrEqual(min);
        expect(fault.durationMs).toBeLessThanOrEqual(max);
      }
      expect(overlapsOnSameTarget(schedule)).toEqual([]);
      expect(schedule.map((fault) => fault.atMs)).toEqual(
        [...schedule.map((fault) => fault.atMs)].sort((a, b) => a - b),
      );
    },
  );

  it('draws parameters within their ranges', () => {
    const schedule = buildFaultSchedule(5, LONG);
    for (const fault of schedule.filter((candidate) => candidate.faultClass === 'network-delay')) {
      expect(fault.parameters['delayMs']).toBeGreaterThanOrEqual(50);
      expect(fault.parameters['delayMs']).toBeLessThanOrEqual(400);
    }
    const signals = schedule
      .filter((fault) => fault.faultClass === 'kafka-broker-restart')
      .map((fault) => fault.parameters['signal']);
    expect(new Set(signals)).toEqual(new Set(['SIGTERM', 'SIGKILL']));
  });

  it('names the instance a service-kill hits where its target runs several, and changes nothing else', () => {
    const single = buildFaultSchedule(7, LONG);
    const paired = buildFaultSchedule(7, { ...LONG, instances: { payment: 2 } });
    expect(buildFaultSchedule(7, { ...LONG, instances: { payment: 2 } })).toEqual(paired);
    const withoutInstance = (fault: ScheduledFault): ScheduledFault => ({
      ...fault,
      parameters: Object.fromEntries(
        Object.entries(fault.parameters).filter(([name]) => name !== 'instance'),
      ),
    });
    expect(paired.map(withoutInstance)).toEqual(single);
    const paymentKills = paired.filter(
      (fault) => fault.faultClass === 'service-kill' && fault.target === 'payment',
    );
    expect(paymentKills.length).toBeGreaterThan(1);
    expect(new Set(paymentKills.map((fault) => fault.parameters['instance']))).toEqual(new Set([0, 1]));
    const others = paired.filter((fault) => !paymentKills.includes(fault));
    expect(others.filter((fault) => 'instance' in fault.parameters)).toEqual([]);
    expect(single.filter((fault) => 'instance' in fault.parameters)).toEqual([]);
    expect(() => buildFaultSchedule(7, { ...LONG, instances: { payment: 0 } })).toThrow(
      'instances of payment',
    );
  });

  it('leaves a broker restart its recovery time before the next one', () => {
    const schedule = buildFaultSchedule(20261207, { durationMs: 1_500_000, faultsPerClass: 60 });
    const restarts = schedule.filter((fault) => fault.faultClass === 'kafka-broker-restart');
    // 1,350 s of faults hold 22 restarts of at most 15 s, each followed by 45 s of recovery.
    expect(restarts).toHaveLength(22);
    expect(schedule).toHaveLength(8 * 60 + 22);
    for (const restart of restarts) {
      const endMs = restart.atMs + restart.durationMs;
      const next = restarts.find((fault) => fault !== restart && fault.atMs >= restart.atMs);
      if (next !== undefined) expect(next.atMs - endMs).toBeGreaterThanOrEqual(45_000);
    }
  });

  it("spreads a class's faults evenly over its targets", () => {
    const schedule = buildFaultSchedule(20261207, { durationMs: 1_500_000, faultsPerClass: 60 });
    const delays = schedule.filter((fault) => fault.faultClass === 'network-delay');
    const perLink = new Map<string, number>();
    for (const fault of delays) perLink.set(fault.target, (perLink.get(fault.target) ?? 0) + 1);
    // Five links, 60 faults: 12 each, give or take a turn a busy link had to pass on.
    expect([...perLink.keys()].sort()).toEqual(['acme', 'kafka', 'nova', 'postgres', 'swiftpay']);
    for (const count of perLink.values()) {
      expect(count).toBeGreaterThanOrEqual(9);
      expect(count).toBeLessThanOrEqual(15);
    }
  });

  it('shortens faults to fit a short run and refuses one too dense to hold them', () => {
    const short = buildFaultSchedule(3, { durationMs: 90_000, faultsPerClass: 2 });
    // Two of each class but the broker restart, whose recovery leaves room for one.
    expect(short).toHaveLength(17);
    expect(overlapsOnSameTarget(short)).toEqual([]);
    expect(() => buildFaultSchedule(3, { durationMs: 5_000, faultsPerClass: 10 })).toThrow('do not fit');
    expect(() => buildFaultSchedule(3, { durationMs: -1, faultsPerClass: 1 })).toThrow('durationMs');
  });
});
