import { sampleOf, SAMPLE_PAYLOADS } from './__fixtures__/event-samples';
import { ContractError, ContractErrorCode } from './contract.error';
import { buildEnvelope, isEventOfType } from './envelope';
import { EVENT_TYPES, eventTypes, KeelEventType } from './event-types';
import { parseKafkaRecord, toKafkaRecord } from './kafka-record';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const SOURCE = '/keel/payment';

function contractErrorOf(action: () => unknown): ContractError {
  try {
    action();
  } catch (error: unknown) {
    if (error instanceof ContractError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ContractError');
}

describe('buildEnvelope', () => {
  it('fills the CloudEvents attributes and takes the subject from the payload', () => {
    const envelope = buildEnvelope({
      type: EVENT_TYPES.paymentCompleted,
      source: SOURCE,
      data: sampleOf(EVENT_TYPES.paymentCompleted),
    });

    expect(envelope.id).toMatch(UUID_V4);
    expect(envelope.specversion).toBe('1.0');
    expect(envelope.datacontenttype).toBe('application/json');
    expect(envelope.subject).toBe('pay_1');
    expect(Number.isNaN(Date.parse(envelope.time))).toBe(false);
    expect(envelope).not.toHaveProperty('traceparent');
    expect(envelope.data).toEqual(SAMPLE_PAYLOADS[EVENT_TYPES.paymentCompleted]);
  });

  it('gives every event a new id', () => {
    const input = {
      type: EVENT_TYPES.walletCredited,
      source: '/keel/wallet',
      data: sampleOf(EVENT_TYPES.walletCredited),
    };
    expect(buildEnvelope(input).id).not.toBe(buildEnvelope(input).id);
  });

  it('keeps a given id, time, subject and valid traceparent', () => {
    const envelope = buildEnvelope({
      type: EVENT_TYPES.pspBreakerStateChanged,
      source: '/keel/executor',
      subject: 'toss',
      id: '0b9c4e7e-1d2a-4c3b-8f00-123456789abc',
      time: '2025-01-01T09:10:00+09:00',
      traceparent: TRACEPARENT,
      data: sampleOf(EVENT_TYPES.pspBreakerStateChanged),
    });

    expect(envelope).toMatchObject({
      id: '0b9c4e7e-1d2a-4c3b-8f00-123456789abc',
      time: '2025-01-01T09:10:00+09:00',
      subject: 'toss',
      traceparent: TRACEPARENT,
    });
  });

  it('drops a malformed traceparent instead of failing the event', () => {
    const envelope = buildEnvelope({
      type: EVENT_TYPES.pspBreakerStateChanged,
      source: '/keel/executor',
      traceparent: 'not-a-trace',
      data: sampleOf(EVENT_TYPES.pspBreakerStateChanged),
    });
    expect(envelope).not.toHaveProperty('traceparent');
  });

  it('rejects a subject that differs from the payload field', () => {
    const error = contractErrorOf(() =>
      buildEnvelope({
        type: EVENT_TYPES.paymentCompleted,
        source: SOURCE,
        subject: 'pay_2',
        data: sampleOf(EVENT_TYPES.paymentCompleted),
      }),
    );
    expect(error.code).toBe(ContractErrorCode.SubjectMismatch);
  });

  it('rejects an unknown type', () => {
    const error = contractErrorOf(() =>
      buildEnvelope({ type: 'keel.payment.exploded.v1', source: SOURCE, data: { paymentId: 'pay_1' } }),
    );
    expect(error.code).toBe(ContractErrorCode.UnknownEventType);
  });

  it('rejects an invalid payload and lists every violation', () => {
    const data = {
      ...sampleOf(EVENT_TYPES.paymentCompleted),
      amount: { amountMinor: '1.5', currency: 'krw' },
    };
    const error = contractErrorOf(() =>
      buildEnvelope({ type: EVENT_TYPES.paymentCompleted, source: SOURCE, data }),
    );

    expect(error.code).toBe(ContractErrorCode.InvalidPayload);
    expect(error.violations.map((violation) => `${violation.path}:${violation.constraint}`)).toEqual([
      'amount.amountMinor:matches',
      'amount.currency:matches',
    ]);
  });

  it('rejects unknown fields, since producers must be exact', () => {
    const data = { ...sampleOf(EVENT_TYPES.walletCredited), note: 'extra' };
    const error = contractErrorOf(() =>
      buildEnvelope({ type: EVENT_TYPES.walletCredited, source: SOURCE, data }),
    );

    expect(error.code).toBe(ContractErrorCode.InvalidPayload);
    expect(error.violations).toEqual([
      { path: 'note', constraint: 'whitelistValidation', message: 'property note should not exist' },
    ]);
  });

  it('rejects unknown fields nested inside the payload too', () => {
    const data = sampleOf(EVENT_TYPES.walletCredited);
    const withExtra = { ...data, amount: { ...data.amount, rate: 1 } };
    const error = contractErrorOf(() =>
      buildEnvelope({ type: EVENT_TYPES.walletCredited, source: SOURCE, data: withExtra }),
    );
    expect(error.violations.map((violation) => violation.path)).toEqual(['amount.rate']);
  });

  it('drops unknown fields when a producer opts in to allowUnknownFields', () => {
    const data = { ...sampleOf(EVENT_TYPES.walletCredited), note: 'extra' };
    const envelope = buildEnvelope({ type: EVENT_TYPES.walletCredited, source: SOURCE, data }, eventTypes, {
      allowUnknownFields: true,
    });
    expect(envelope.data).not.toHaveProperty('note');
  });

  it.each([
    ['an id that is not a UUID', { id: 'event-1' }, ContractErrorCode.InvalidEnvelope],
    ['an empty source', { source: ' ' }, ContractErrorCode.InvalidEnvelope],
    ['a time that is not RFC 3339', { time: '2025-02-30T00:00:00Z' }, ContractErrorCode.InvalidTime],
  ])('rejects %s', (_name, override, code) => {
    const input = {
      type: EVENT_TYPES.walletCredited,
      source: SOURCE,
      data: sampleOf(EVENT_TYPES.walletCredited),
    };
    expect(contractErrorOf(() => buildEnvelope({ ...input, ...override })).code).toBe(code);
  });

  it('does not share the caller object as data', () => {
    const data = sampleOf(EVENT_TYPES.walletCredited);
    const envelope = buildEnvelope({ type: EVENT_TYPES.walletCredited, source: SOURCE, data });
    data.sellerId = 'changed';
    expect(envelope.data.sellerId).toBe('seller_1');
  });
});

describe('build, toKafkaRecord, parse round trip', () => {
  it.each(Object.keys(SAMPLE_PAYLOADS) as KeelEventType[])('returns the same envelope for %s', (type) => {
    const envelope = buildEnvelope({
      type,
      source: '/keel/test',
      traceparent: TRACEPARENT,
      data: sampleOf(type),
    });
    const record = toKafkaRecord(envelope);

    const parsed = parseKafkaRecord(record);

    expect(parsed).toEqual({ ok: true, envelope });
    expect(record.key).toBe(envelope.subject);
  });
});

describe('toKafkaRecord', () => {
  it('writes the CloudEvents binary-mode headers and the JSON payload as value', () => {
    const envelope = buildEnvelope({
      type: EVENT_TYPES.paymentOrderSucceeded,
      source: '/keel/executor',
      traceparent: TRACEPARENT,
      data: sampleOf(EVENT_TYPES.paymentOrderSucceeded),
    });

    const record = toKafkaRecord(envelope);

    expect(record.key).toBe('po_1');
    expect(record.headers).toEqual({
      ce_id: envelope.id,
      ce_type: 'keel.payment_order.succeeded.v1',
      ce_source: '/keel/executor',
      ce_specversion: '1.0',
      ce_time: envelope.time,
      ce_subject: 'po_1',
      'content-type': 'application/json',
      traceparent: TRACEPARENT,
    });
    expect(JSON.parse(record.value.toString('utf8'))).toEqual(envelope.data);
  });

  it('omits traceparent when the envelope has none', () => {
    const envelope = buildEnvelope({
      type: EVENT_TYPES.walletCredited,
      source: SOURCE,
      data: sampleOf(EVENT_TYPES.walletCredited),
    });
    expect(Object.keys(toKafkaRecord(envelope).headers)).not.toContain('traceparent');
  });
});

describe('isEventOfType', () => {
  it('narrows by type name', () => {
    const envelope = buildEnvelope({
      type: EVENT_TYPES.walletCredited,
      source: SOURCE,
      data: sampleOf(EVENT_TYPES.walletCredited),
    });
    expect(isEventOfType(envelope, EVENT_TYPES.walletCredited)).toBe(true);
    expect(isEventOfType(envelope, EVENT_TYPES.paymentCompleted)).toBe(false);
  });
});
