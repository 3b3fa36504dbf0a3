import { parseTraceparent } from '@keel/contracts';
import { runWithContext } from './trace-context';
import {
  contextFromHeaders,
  contextHeaders,
  correlationIdFromHeaders,
  traceparentFromHeaders,
} from './trace-headers.util';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const VALID = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('traceparentFromHeaders', () => {
  it('reads string and Buffer values', () => {
    expect(traceparentFromHeaders({ traceparent: VALID })).toBe(VALID);
    expect(traceparentFromHeaders({ traceparent: Buffer.from(VALID) })).toBe(VALID);
    expect(traceparentFromHeaders({ traceparent: [Buffer.from(VALID)] })).toBe(VALID);
  });

  it('finds a capitalised header name', () => {
    expect(traceparentFromHeaders({ Traceparent: VALID })).toBe(VALID);
  });

  it('ignores missing, invalid and repeated values', () => {
    expect(traceparentFromHeaders(undefined)).toBeUndefined();
    expect(traceparentFromHeaders({})).toBeUndefined();
    expect(traceparentFromHeaders({ traceparent: undefined })).toBeUndefined();
    expect(traceparentFromHeaders({ traceparent: 'nonsense' })).toBeUndefined();
    expect(traceparentFromHeaders({ traceparent: [VALID, VALID] })).toBeUndefined();
  });
});

describe('correlationIdFromHeaders', () => {
  it('reads a usable id and ignores an unusable one', () => {
    expect(correlationIdFromHeaders({ 'x-correlation-id': Buffer.from('order-1') })).toBe('order-1');
    expect(correlationIdFromHeaders({ 'x-correlation-id': 'two words' })).toBeUndefined();
    expect(correlationIdFromHeaders({ 'x-correlation-id': 'abcdef' }, 3)).toBeUndefined();
  });
});

describe('contextFromHeaders', () => {
  it('continues the producer trace with a new span and keeps the correlation id', () => {
    const context = contextFromHeaders({ traceparent: VALID, 'x-correlation-id': 'order-1' });
    expect(parseTraceparent(context.traceparent)?.traceId).toBe(TRACE_ID);
    expect(context.traceparent).not.toBe(VALID);
    expect(context.correlationId).toBe('order-1');
  });

  it('starts a new trace and correlation id when the record has none', () => {
    const context = contextFromHeaders({});
    expect(parseTraceparent(context.traceparent)).toBeDefined();
    expect(context.correlationId).toHaveLength(36);
  });
});

describe('contextHeaders', () => {
  it('carries the current context to the next hop', () => {
    const context = { traceparent: VALID, correlationId: 'order-1' };
    expect(runWithContext(context, () => contextHeaders())).toEqual({
      traceparent: VALID,
      'x-correlation-id': 'order-1',
    });
  });

  it('is empty outside any context', () => {
    expect(contextHeaders()).toEqual({});
  });
});
