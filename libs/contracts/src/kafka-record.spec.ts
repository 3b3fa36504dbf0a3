import { sampleOf } from './__fixtures__/event-samples';
import { buildEnvelope } from './envelope';
import { EVENT_TYPES, eventTypes } from './event-types';
import { KafkaHeaders } from './kafka-headers.util';
import {
  ContractRejectionReason,
  IncomingKafkaRecord,
  parseKafkaRecord,
  ParseResult,
  toKafkaRecord,
} from './kafka-record';

const TIME = '2025-01-01T09:00:03.000Z';

function validRecord(): { key: string; value: Buffer; headers: Record<string, string> } {
  const envelope = buildEnvelope({
    type: EVENT_TYPES.walletCredited,
    source: '/keel/wallet',
    time: TIME,
    data: sampleOf(EVENT_TYPES.walletCredited),
  });
  return toKafkaRecord(envelope);
}

function withHeaders(headers: KafkaHeaders): IncomingKafkaRecord {
  return { ...validRecord(), headers };
}

function withValue(value: unknown): IncomingKafkaRecord {
  return { ...validRecord(), value: Buffer.from(JSON.stringify(value)) };
}

function rejectionOf(result: ParseResult): { reason: ContractRejectionReason; detail: string } {
  if (result.ok) {
    throw new Error('expected a rejection');
  }
  return { reason: result.reason, detail: result.detail };
}

describe('parseKafkaRecord', () => {
  it('accepts a record as kafkajs delivers it, with Buffer key, value and headers', () => {
    const record = validRecord();
    const buffers = Object.fromEntries(
      Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)]),
    );

    const result = parseKafkaRecord({ key: Buffer.from(record.key), value: record.value, headers: buffers });

    expect(result.ok && result.envelope.data).toEqual(sampleOf(EVENT_TYPES.walletCredited));
  });

  describe('header normalisation', () => {
    it('reads a header delivered as an array of one value', () => {
      const record = validRecord();
      const result = parseKafkaRecord(
        withHeaders({ ...record.headers, ce_type: [Buffer.from(record.headers.ce_type)] }),
      );
      expect(result.ok).toBe(true);
    });

    it('reads a header repeated with the same value, as Buffer and string', () => {
      const record = validRecord();
      const ceType = record.headers.ce_type;
      const result = parseKafkaRecord(
        withHeaders({ ...record.headers, ce_type: [ceType, Buffer.from(ceType)] }),
      );
      expect(result.ok).toBe(true);
    });

    it('matches header names without regard to case', () => {
      const record = validRecord();
      const { ce_type: ceType, ...rest } = record.headers;
      expect(parseKafkaRecord(withHeaders({ ...rest, CE_TYPE: ceType })).ok).toBe(true);
    });

    it('rejects a header repeated with different values', () => {
      const record = validRecord();
      const headers = { ...record.headers, ce_type: [record.headers.ce_type, 'keel.payment.completed.v1'] };
      expect(rejectionOf(parseKafkaRecord(withHeaders(headers)))).toEqual({
        reason: 'invalid_header',
        detail: 'header ce_type has conflicting values',
      });
    });

    it('rejects a header that is not UTF-8', () => {
      const headers = { ...validRecord().headers, ce_source: Buffer.from([0xff, 0xfe]) };
      expect(rejectionOf(parseKafkaRecord(withHeaders(headers))).reason).toBe('invalid_header');
    });

    it('treats an empty array as an absent header', () => {
      const headers = { ...validRecord().headers, ce_source: [] };
      expect(rejectionOf(parseKafkaRecord(withHeaders(headers)))).toEqual({
        reason: 'missing_header',
        detail: 'ce_source is missing or empty',
      });
    });
  });

  it.each(['ce_id', 'ce_type', 'ce_source', 'ce_time', 'ce_subject', 'ce_specversion'])(
    'rejects a record without %s as missing_header',
    (name) => {
      const { [name]: _removed, ...headers } = validRecord().headers;
      expect(rejectionOf(parseKafkaRecord(withHeaders(headers)))).toEqual({
        reason: 'missing_header',
        detail: `${name} is missing or empty`,
      });
    },
  );

  it('rejects an empty header value as missing_header', () => {
    const headers = { ...validRecord().headers, ce_type: '' };
    expect(rejectionOf(parseKafkaRecord(withHeaders(headers))).reason).toBe('missing_header');
  });

  it('rejects a record without headers', () => {
    const { key, value } = validRecord();
    expect(rejectionOf(parseKafkaRecord({ key, value })).reason).toBe('missing_header');
  });

  it('rejects another CloudEvents version', () => {
    const headers = { ...validRecord().headers, ce_specversion: '0.3' };
    expect(rejectionOf(parseKafkaRecord(withHeaders(headers)))).toEqual({
      reason: 'unsupported_specversion',
      detail: "specversion '0.3' is not 1.0",
    });
  });

  it('rejects an event id that is not a UUID', () => {
    const headers = { ...validRecord().headers, ce_id: 'event-1' };
    expect(rejectionOf(parseKafkaRecord(withHeaders(headers))).reason).toBe('invalid_header');
  });

  it('rejects a content type other than JSON, and accepts JSON with parameters or none', () => {
    const headers = validRecord().headers;
    const { 'content-type': _contentType, ...withoutContentType } = headers;

    expect(
      rejectionOf(parseKafkaRecord(withHeaders({ ...headers, 'content-type': 'text/plain' }))).reason,
    ).toBe('invalid_header');
    expect(
      parseKafkaRecord(withHeaders({ ...headers, 'content-type': 'Application/JSON; charset=utf-8' })).ok,
    ).toBe(true);
    expect(parseKafkaRecord(withHeaders(withoutContentType)).ok).toBe(true);
  });

  it.each(['yesterday', '2025-02-30T00:00:00Z', '2025-01-01 09:00:00Z', '2025-01-01T09:00:00'])(
    'rejects ce_time %s as invalid_time',
    (time) => {
      const headers = { ...validRecord().headers, ce_time: time };
      expect(rejectionOf(parseKafkaRecord(withHeaders(headers))).reason).toBe('invalid_time');
    },
  );

  it('rejects a type that is not registered', () => {
    const headers = { ...validRecord().headers, ce_type: 'keel.wallet.debited.v1' };
    expect(rejectionOf(parseKafkaRecord(withHeaders(headers)))).toEqual({
      reason: 'unknown_type',
      detail: "type 'keel.wallet.debited.v1' is not registered",
    });
  });

  it('rejects a key that differs from ce_subject', () => {
    const record = { ...validRecord(), key: 'seller_2' };
    expect(rejectionOf(parseKafkaRecord(record))).toEqual({
      reason: 'key_mismatch',
      detail: "key 'seller_2' but ce_subject is 'seller_1'",
    });
  });

  it('rejects a record without a key', () => {
    const record = { ...validRecord(), key: null };
    expect(rejectionOf(parseKafkaRecord(record)).reason).toBe('key_mismatch');
  });

  it('rejects a ce_subject that differs from the payload aggregate id', () => {
    const record = validRecord();
    const moved = { ...record, key: 'seller_2', headers: { ...record.headers, ce_subject: 'seller_2' } };
    expect(rejectionOf(parseKafkaRecord(moved))).toEqual({
      reason: 'key_mismatch',
      detail: "ce_subject 'seller_2' differs from payload field 'sellerId'",
    });
  });

  it.each([
    ['text that is not JSON', Buffer.from('{"sellerId":')],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['no value (a tombstone)', null],
  ])('rejects %s as invalid_json', (_name, value) => {
    expect(rejectionOf(parseKafkaRecord({ ...validRecord(), value })).reason).toBe('invalid_json');
  });

  it.each([
    ['a JSON array', []],
    ['JSON null', null],
    ['a JSON string', 'seller_1'],
  ])('rejects %s as invalid_payload', (_name, value) => {
    expect(rejectionOf(parseKafkaRecord(withValue(value)))).toEqual({
      reason: 'invalid_payload',
      detail: '(root): data must be a JSON object',
    });
  });

  it('rejects a payload that breaks the schema and names the fields and constraints', () => {
    const value = {
      ...sampleOf(EVENT_TYPES.walletCredited),
      amount: { amountMinor: 15000, currency: 'KRW' },
    };
    delete (value as Partial<typeof value>).creditedAt;

    const { reason, detail } = rejectionOf(parseKafkaRecord(withValue(value)));

    expect(reason).toBe('invalid_payload');
    expect(detail).toContain('amount.amountMinor: amountMinor must be a string');
    expect(detail).toContain('creditedAt: creditedAt must be an RFC 3339 timestamp with an offset');
  });

  it('tolerates unknown fields by default and leaves them out of the parsed data', () => {
    const sample = sampleOf(EVENT_TYPES.walletCredited);
    const value = { ...sample, note: 'added in a later release', amount: { ...sample.amount, rate: 1 } };

    const result = parseKafkaRecord(withValue(value));

    expect(result.ok && result.envelope.data).toEqual(sample);
  });

  it('rejects unknown fields when the consumer asks for exact payloads', () => {
    const value = { ...sampleOf(EVENT_TYPES.walletCredited), note: 'added in a later release' };
    const result = parseKafkaRecord(withValue(value), eventTypes, { allowUnknownFields: false });
    expect(rejectionOf(result)).toEqual({
      reason: 'invalid_payload',
      detail: 'note: property note should not exist',
    });
  });

  it('drops a __proto__ field without changing any prototype', () => {
    const text = JSON.stringify(sampleOf(EVENT_TYPES.walletCredited)).replace(
      '{',
      '{"__proto__":{"polluted":true},',
    );

    const result = parseKafkaRecord({ ...validRecord(), value: Buffer.from(text) }, eventTypes, {
      allowUnknownFields: false,
    });

    if (!result.ok) {
      throw new Error(result.detail);
    }
    expect(Object.getPrototypeOf(result.envelope.data)).toBe(Object.prototype);
    expect(result.envelope.data).toEqual(sampleOf(EVENT_TYPES.walletCredited));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns a rejection, never an exception, for hostile nesting', () => {
    const depth = 100_000;
    const deep = `"deep":${'['.repeat(depth)}${']'.repeat(depth)},`;
    const text = JSON.stringify(sampleOf(EVENT_TYPES.walletCredited)).replace('{', `{${deep}`);

    const result = parseKafkaRecord({ ...validRecord(), value: Buffer.from(text) });

    expect(rejectionOf(result)).toEqual({ reason: 'invalid_payload', detail: expect.any(String) });
  });

  it('keeps a valid traceparent and drops an invalid one', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const headers = validRecord().headers;

    const kept = parseKafkaRecord(withHeaders({ ...headers, traceparent }));
    const dropped = parseKafkaRecord(withHeaders({ ...headers, traceparent: '00-0000-00' }));

    expect(kept.ok && kept.envelope.traceparent).toBe(traceparent);
    expect(dropped.ok && dropped.envelope).not.toHaveProperty('traceparent');
  });
});
