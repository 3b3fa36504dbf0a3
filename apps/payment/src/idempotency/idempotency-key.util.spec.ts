import { parseIdempotencyKey } from './idempotency-key.util';

describe('parseIdempotencyKey', () => {
  it.each([
    ['a UUID', '8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['a Structured Field string', '"order-1"', 'order-1'],
    ['printable characters with spaces', 'key with spaces', 'key with spaces'],
    ['255 characters', 'k'.repeat(255), 'k'.repeat(255)],
  ])('accepts %s', (_name, header, key) => {
    expect(parseIdempotencyKey(header)).toEqual({ ok: true, key });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
  ])('reports %s as missing', (_name, header) => {
    expect(parseIdempotencyKey(header)).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['256 characters', 'k'.repeat(256)],
    ['a control character', 'key\u0001'],
    ['a non-ASCII character', 'clé'],
    ['an empty quoted string', '""'],
    ['a quote inside a quoted string', '"a"b"'],
    ['the header twice', ['a', 'b']],
  ])('reports %s as invalid', (_name, header) => {
    expect(parseIdempotencyKey(header)).toEqual({ ok: false, reason: 'invalid' });
  });
});
