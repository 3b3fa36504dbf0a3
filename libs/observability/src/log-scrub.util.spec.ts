import { createLogLineScrubber } from './log-scrub.util';

const VISA = '4111111111111111';
const scrub = createLogLineScrubber({ secretKeys: ['password', 'x-api-key', 'cvc'], censor: '[Redacted]' });

describe('createLogLineScrubber', () => {
  it('censors values under secret keys at any depth, whatever their case and type', () => {
    const line = JSON.stringify({
      a: { b: { c: { d: { e: { PASSWORD: 'p1' } } } } },
      headers: { 'X-Api-Key': 'k1' },
      card: { cvc: 123 },
      list: [{ password: { nested: ['p2', { x: 'p3' }] }, keep: 'kept' }],
      msg: 'done',
    });
    expect(JSON.parse(scrub(line))).toEqual({
      a: { b: { c: { d: { e: { PASSWORD: '[Redacted]' } } } } },
      headers: { 'X-Api-Key': '[Redacted]' },
      card: { cvc: '[Redacted]' },
      list: [{ password: '[Redacted]', keep: 'kept' }],
      msg: 'done',
    });
  });

  it('does not mistake a string value for a key', () => {
    const line = JSON.stringify({ field: 'password', note: 'password: none', other: ['cvc', 'x'] });
    expect(scrub(line)).toBe(line);
  });

  it('masks PANs inside strings and keeps the line valid JSON', () => {
    const line = JSON.stringify({ msg: `charging ${VISA}`, nested: { note: '4111 1111 1111 1111' } });
    expect(JSON.parse(scrub(line))).toEqual({ msg: 'charging 411111…1111', nested: { note: '411111…1111' } });
  });

  it('turns a PAN serialized as a number into a masked string', () => {
    const line = `{"card":${VISA},"amount":1250,"list":[${VISA}]}\n`;
    expect(JSON.parse(scrub(line))).toEqual({ card: '411111…1111', amount: 1250, list: ['411111…1111'] });
    expect(scrub(line).endsWith('\n')).toBe(true);
  });

  it('does not let escape sequences join a digit run', () => {
    const line = JSON.stringify({ text: `\u0010${VISA}` });
    expect(JSON.parse(scrub(line))).toEqual({ text: '\u0010411111…1111' });
  });

  it('masks PANs in text that is not JSON', () => {
    expect(scrub(`"unterminated ${VISA}`)).toBe('"unterminated 411111…1111');
  });

  it('returns lines with nothing to scrub unchanged', () => {
    const line = '{"level":"info","time":"2025-01-01T00:00:00.000Z","durationMs":12.5,"msg":"ok"}\n';
    expect(scrub(line)).toBe(line);
  });
});
