import { isValidTraceparent, parseTraceparent } from './traceparent.util';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('parseTraceparent', () => {
  it('parses a version-00 value', () => {
    expect(parseTraceparent(VALID)).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)?.flags).toBe(0);
    expect(isValidTraceparent(VALID)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['not a string', 42],
    ['empty', ''],
    ['upper-case hex', VALID.toUpperCase()],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['a short parent id', `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`],
    ['non-hex flags', `00-${TRACE_ID}-${SPAN_ID}-0x`],
    ['the forbidden version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with extra fields', `${VALID}-extra`],
    ['wrong separators', VALID.replace(/-/g, '_')],
    ['surrounding whitespace', ` ${VALID} `],
    ['over-long input', `01-${TRACE_ID}-${SPAN_ID}-01-${'a'.repeat(300)}`],
  ])('rejects %s', (_case, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
    expect(isValidTraceparent(value)).toBe(false);
  });

  it('accepts a future version and ignores its extra fields, as the W3C spec asks', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-01-future`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      flags: 1,
    });
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-01`)).toBeDefined();
  });
});
