import { setTimeout as sleep } from 'node:timers/promises';
import { parseTraceparent } from '@keel/contracts';
import {
  continueContext,
  continueTraceparent,
  createChildTraceparent,
  createRootTraceparent,
  currentContext,
  currentTraceparent,
  formatTraceparent,
  isValidCorrelationId,
  runWithContext,
} from './trace-context';
import { ObservabilityError } from './observability.error';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('formatTraceparent', () => {
  it('round-trips a parsed header', () => {
    const parsed = parseTraceparent(VALID);
    expect(parsed && formatTraceparent(parsed)).toBe(VALID);
  });

  it('always writes version 00 and two-digit flags', () => {
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, flags: 0 })).toBe(
      `00-${TRACE_ID}-${SPAN_ID}-00`,
    );
  });

  it.each([
    { traceId: '0'.repeat(32), spanId: SPAN_ID, flags: 1 },
    { traceId: TRACE_ID, spanId: '0'.repeat(16), flags: 1 },
    { traceId: TRACE_ID.toUpperCase(), spanId: SPAN_ID, flags: 1 },
    { traceId: TRACE_ID, spanId: SPAN_ID, flags: 256 },
  ])('refuses to format invalid fields %#', (fields) => {
    expect(() => formatTraceparent(fields)).toThrow(ObservabilityError);
  });
});

describe('creating traceparents', () => {
  it('creates a sampled root with valid random ids', () => {
    const root = createRootTraceparent();
    expect(parseTraceparent(formatTraceparent(root))).toEqual(root);
    expect(root.flags).toBe(1);
    expect(createRootTraceparent().traceId).not.toBe(root.traceId);
  });

  it('draws distinct ids across many pages of its random pool', () => {
    const roots = Array.from({ length: 1_000 }, () => createRootTraceparent());
    expect(new Set(roots.map((root) => root.traceId)).size).toBe(roots.length);
    expect(new Set(roots.map((root) => root.spanId)).size).toBe(roots.length);
    for (const root of roots) expect(parseTraceparent(formatTraceparent(root))).toEqual(root);
  });

  it('creates a child in the same trace with a new span and the same flags', () => {
    const parent = { traceId: TRACE_ID, spanId: SPAN_ID, flags: 0 };
    const child = createChildTraceparent(parent);
    expect(child.traceId).toBe(TRACE_ID);
    expect(child.spanId).not.toBe(SPAN_ID);
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.flags).toBe(0);
  });

  it('continues a valid incoming trace and starts a new one otherwise', () => {
    expect(parseTraceparent(continueTraceparent(VALID))?.traceId).toBe(TRACE_ID);
    const fresh = parseTraceparent(continueTraceparent('garbage'));
    expect(fresh).toBeDefined();
    expect(fresh?.traceId).not.toBe(TRACE_ID);
  });
});

describe('correlation ids', () => {
  it('accepts safe ids within the length limit', () => {
    expect(isValidCorrelationId('order-42:retry.1_a')).toBe(true);
    expect(isValidCorrelationId('a'.repeat(128))).toBe(true);
  });

  it('rejects missing, over-long and unsafe ids', () => {
    expect(isValidCorrelationId(undefined)).toBe(false);
    expect(isValidCorrelationId('')).toBe(false);
    expect(isValidCorrelationId('a'.repeat(129))).toBe(false);
    expect(isValidCorrelationId('abc', 2)).toBe(false);
    expect(isValidCorrelationId('a\nb')).toBe(false);
    expect(isValidCorrelationId('a b')).toBe(false);
  });

  it('keeps a usable incoming correlation id and replaces an unusable one with a uuid', () => {
    expect(continueContext({ traceparent: VALID, correlationId: 'abc-123' }).correlationId).toBe('abc-123');
    expect(continueContext({ correlationId: 'bad id' }).correlationId).toMatch(UUID);
    expect(continueContext({}).correlationId).toMatch(UUID);
  });
});

describe('request context', () => {
  it('is visible inside runWithContext, across awaits, and gone outside', async () => {
    const context = { traceparent: VALID, correlationId: 'c-1' };
    expect(currentContext()).toBeUndefined();
    const seen = await runWithContext(context, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return { context: currentContext(), traceparent: currentTraceparent() };
    });
    expect(seen).toEqual({ context, traceparent: VALID });
    expect(currentTraceparent()).toBeUndefined();
  });

  it('keeps concurrent contexts apart', async () => {
    const run = (id: string) =>
      runWithContext({ traceparent: VALID, correlationId: id }, async () => {
        await sleep(1);
        return currentContext()?.correlationId;
      });
    await expect(Promise.all([run('a'), run('b'), run('c')])).resolves.toEqual(['a', 'b', 'c']);
  });
});
