import { createHmac } from 'node:crypto';
import { signWebhook } from './webhook-signature';

describe('signWebhook', () => {
  it('writes t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>', () => {
    const body = '{"id":"evt_1","type":"charge.succeeded"}';
    const expected = createHmac('sha256', 'whsec_acme_test').update(`1700000000.${body}`).digest('hex');
    expect(signWebhook('whsec_acme_test', body, 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('signs the exact bytes: another body, timestamp or secret gives another signature', () => {
    const base = signWebhook('secret', 'a=1&b=2', 1);
    expect(signWebhook('secret', 'a=1&b=3', 1)).not.toBe(base);
    expect(signWebhook('secret', 'a=1&b=2', 2).split(',')[1]).not.toBe(base.split(',')[1]);
    expect(signWebhook('other', 'a=1&b=2', 1)).not.toBe(base);
    expect(base).toMatch(/^t=1,v1=[0-9a-f]{64}$/);
  });

  it('signs multi-byte text as UTF-8', () => {
    const expected = createHmac('sha256', 's').update(Buffer.from('5.신한', 'utf8')).digest('hex');
    expect(signWebhook('s', '신한', 5)).toBe(`t=5,v1=${expected}`);
  });

  it('refuses a timestamp that is not whole seconds', () => {
    expect(() => signWebhook('s', 'x', 1.5)).toThrow(RangeError);
  });
});
