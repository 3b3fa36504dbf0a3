import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MECHANISM_RULES, mechanismViolations } from './one-mechanism';
import { repositoryRoot, sourceFiles } from './source-files';

describe('one implementation of each mechanism', () => {
  const violations = sourceFiles().flatMap((path) =>
    mechanismViolations(path, readFileSync(join(repositoryRoot, path), 'utf8')),
  );

  it.each(MECHANISM_RULES.map((rule) => rule.name))('%s is written once', (name) => {
    expect(violations.filter((violation) => violation.rule === name)).toEqual([]);
  });
});

describe('the rules find the mechanism written again', () => {
  const rulesHit = (path: string, text: string): string[] =>
    mechanismViolations(path, text).map((violation) => violation.rule);

  it('sleep: a promise resolved by a timer, however spelled', () => {
    expect(
      rulesHit('tools/x.ts', 'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));'),
    ).toEqual(['sleep']);
    expect(
      rulesHit('libs/x/src/y.ts', 'await new Promise<void>((done) => { setTimeout(() => done(), 5); });'),
    ).toEqual(['sleep']);
    expect(rulesHit('apps/x/src/y.ts', 'new Promise((resolve) => setTimeout(resolve, 5).unref());')).toEqual([
      'sleep',
    ]);
  });

  it('sleep: not a timeout that settles a race, nor a spec on fake timers', () => {
    expect(
      rulesHit(
        'libs/x/src/y.ts',
        "new Promise((resolve) => { setTimeout(() => resolve('timed-out'), 5); });",
      ),
    ).toEqual([]);
    expect(
      rulesHit(
        'libs/x/src/y.ts',
        'new Promise((resolve) => { const done = () => resolve(); setTimeout(done, 5); });',
      ),
    ).toEqual([]);
    expect(
      rulesHit('tools/x.spec.ts', 'jest.useFakeTimers(); await new Promise((r) => setTimeout(r, 5));'),
    ).toEqual([]);
  });

  it('periodic task: setInterval in a service, not in tools or tests', () => {
    expect(rulesHit('apps/payment/src/x.service.ts', 'setInterval(() => undefined, 5);')).toEqual([
      'periodic task',
    ]);
    expect(rulesHit('libs/platform/src/periodic-task.ts', 'setInterval(() => undefined, 5);')).toEqual([]);
    expect(rulesHit('tools/bench/src/x.ts', 'setInterval(() => undefined, 5);')).toEqual([]);
    expect(rulesHit('libs/messaging/test/x.process.ts', 'setInterval(() => undefined, 5);')).toEqual([]);
  });

  it('backoff: a delay that doubles per attempt', () => {
    expect(rulesHit('apps/x/src/y.ts', 'const delay = Math.min(max, base * 2 ** (attempt - 1));')).toEqual([
      'backoff',
    ]);
    expect(rulesHit('tools/x.ts', 'const delay = base * Math.pow(2, attempt);')).toEqual(['backoff']);
    expect(rulesHit('tools/x.ts', 'const GIB = 2 ** 30; const big = 2n ** 63n;')).toEqual([]);
  });

  it('page cursor: base64url text made or read in a service', () => {
    expect(rulesHit('apps/x/src/y.ts', "Buffer.from(key, 'utf8').toString('base64url');")).toEqual([
      'page cursor',
    ]);
    expect(rulesHit('libs/x/src/y.ts', "Buffer.from(cursor, 'base64url').toString('utf8');")).toEqual([
      'page cursor',
    ]);
    expect(rulesHit('libs/x/src/y.ts', "randomBytes(16).toString('base64url');")).toEqual([]);
    expect(rulesHit('apps/x/src/y.spec.ts', "Buffer.from('forged').toString('base64url');")).toEqual([]);
  });

  it('percentile: a function named for one that sorts its values, not one that asks the shared one', () => {
    const sorting =
      'function median(values: number[]) { const s = [...values].sort(); return s[s.length >> 1]; }';
    expect(rulesHit('tools/x.ts', sorting)).toEqual(['percentile']);
    expect(
      rulesHit('tools/x.ts', 'const p99 = 1; const percentileOf = (v: number[]) => v.sort()[0];'),
    ).toEqual(['percentile']);
    expect(
      rulesHit('tools/x.ts', 'function median(values: number[]) { return percentile(values, 50); }'),
    ).toEqual([]);
  });

  it('seeded random: the mulberry32 generator written again', () => {
    expect(rulesHit('apps/x/src/y.ts', 'state = (state + 0x6d2b79f5) >>> 0;')).toEqual(['seeded random']);
    expect(rulesHit('apps/x/src/y.ts', 'state = (state + 0x6D2B_79F5) >>> 0;')).toEqual(['seeded random']);
  });

  it('traceparent: a pattern for trace or parent ids', () => {
    expect(rulesHit('libs/x/src/y.ts', 'const TRACE = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;')).toEqual([
      'traceparent',
    ]);
    expect(rulesHit('libs/contracts/src/traceparent.util.ts', 'const P = /^[0-9a-f]{32}$/;')).toEqual([]);
  });
});
