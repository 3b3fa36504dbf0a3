import { signatureHeader } from '../__fixtures__/webhook-signing';
import { PspWebhookError, WebhookRejection } from '../psp.error';
import { Secret } from '../secret';
import { headerValue, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_test';
const settings = { secret: new Secret(secret), toleranceMs: 300_000 };
const body = Buffer.from('{"id":"evt_1","type":"charge.succeeded"}');
const nowMs = 1_760_000_000_000;
const nowSeconds = nowMs / 1_000;

function rejectionOf(run: () => void): WebhookRejection | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof PspWebhookError) return error.rejection;
    throw error;
  }
}

describe('verifyWebhookSignature', () => {
  it('accepts a body signed with the secret within the tolerance', () => {
    const header = signatureHeader(secret, body, nowSeconds - 10);
    expect(rejectionOf(() => verifyWebhookSignature('acme', header, body, nowMs, settings))).toBeUndefined();
  });

  it('rejects a changed body, a wrong secret and a changed timestamp', () => {
    const header = signatureHeader(secret, body, nowSeconds);
    const changedBody = Buffer.from(body.toString().replace('succeeded', 'declined'));
    expect(rejectionOf(() => verifyWebhookSignature('acme', header, changedBody, nowMs, settings))).toBe(
      WebhookRejection.InvalidSignature,
    );
    const otherSecret = signatureHeader('whsec_other', body, nowSeconds);
    expect(rejectionOf(() => verifyWebhookSignature('acme', otherSecret, body, nowMs, settings))).toBe(
      WebhookRejection.InvalidSignature,
    );
    const movedTimestamp = header.replace(`t=${nowSeconds}`, `t=${nowSeconds + 1}`);
    expect(rejectionOf(() => verifyWebhookSignature('acme', movedTimestamp, body, nowMs, settings))).toBe(
      WebhookRejection.InvalidSignature,
    );
  });

  it('rejects a signed timestamp outside the tolerance, either way, and the tolerance is configurable', () => {
    const old = signatureHeader(secret, body, nowSeconds - 301);
    const future = signatureHeader(secret, body, nowSeconds + 301);
    expect(rejectionOf(() => verifyWebhookSignature('acme', old, body, nowMs, settings))).toBe(
      WebhookRejection.StaleTimestamp,
    );
    expect(rejectionOf(() => verifyWebhookSignature('acme', future, body, nowMs, settings))).toBe(
      WebhookRejection.StaleTimestamp,
    );
    const lenient = { ...settings, toleranceMs: 600_000 };
    expect(rejectionOf(() => verifyWebhookSignature('acme', old, body, nowMs, lenient))).toBeUndefined();
  });

  it('accepts any of several v1 signatures, for secret rotation', () => {
    const valid = signatureHeader(secret, body, nowSeconds);
    const header = `t=${nowSeconds},v1=${'0'.repeat(64)},${valid.split(',')[1] ?? ''}`;
    expect(rejectionOf(() => verifyWebhookSignature('acme', header, body, nowMs, settings))).toBeUndefined();
  });

  it.each([
    [undefined, WebhookRejection.MissingSignature],
    ['', WebhookRejection.MissingSignature],
    ['v1=abc', WebhookRejection.MalformedSignature],
    [`t=${nowSeconds}`, WebhookRejection.MalformedSignature],
    [`t=soon,v1=${'a'.repeat(64)}`, WebhookRejection.MalformedSignature],
    [`t=${nowSeconds},v1=${'a'.repeat(63)}`, WebhookRejection.MalformedSignature],
  ])('rejects the header %p', (header, rejection) => {
    expect(rejectionOf(() => verifyWebhookSignature('acme', header, body, nowMs, settings))).toBe(rejection);
  });
});

describe('headerValue', () => {
  it('finds a header whatever its case, the first of repeated values', () => {
    expect(headerValue({ 'acme-signature': 'a' }, 'Acme-Signature')).toBe('a');
    expect(headerValue({ 'X-Nova-Signature': ['b', 'c'] }, 'x-nova-signature')).toBe('b');
    expect(headerValue({}, 'x')).toBeUndefined();
  });
});
