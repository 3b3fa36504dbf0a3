import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SAMPLE_PAYLOADS } from './__fixtures__/event-samples';
import { EVENT_TYPES, eventTypes } from './event-types';
import { plainCopyOf, validatePayload } from './payload-validation.util';

describe('validatePayload', () => {
  it.each(Object.keys(SAMPLE_PAYLOADS))(
    "copies a valid %s exactly as class-transformer's instanceToPlain would",
    (type) => {
      const payloadClass = eventTypes.get(type).payload;
      const data = JSON.parse(
        JSON.stringify(SAMPLE_PAYLOADS[type as keyof typeof SAMPLE_PAYLOADS]),
      ) as object;
      const instance = plainToInstance(payloadClass, data, { enableImplicitConversion: false });
      expect(validateSync(instance, { whitelist: true, forbidUnknownValues: true })).toEqual([]);

      const result = validatePayload(payloadClass, data, { allowUnknownFields: false });

      expect(result).toEqual({ ok: true, payload: expect.any(Object) });
      if (result.ok) {
        expect(result.payload).toStrictEqual(instanceToPlain(instance));
        expect(Object.getPrototypeOf(result.payload)).toBe(Object.prototype);
      }
    },
  );

  it('drops undeclared fields when told to allow them, and copies rather than shares', () => {
    const type = Object.keys(SAMPLE_PAYLOADS)[0] as keyof typeof SAMPLE_PAYLOADS;
    const data = { ...JSON.parse(JSON.stringify(SAMPLE_PAYLOADS[type])), surplus: 1 } as Record<
      string,
      unknown
    >;
    const result = validatePayload(eventTypes.get(type).payload, data, { allowUnknownFields: true });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.payload).not.toHaveProperty('surplus');
    expect(validatePayload(eventTypes.get(type).payload, data, { allowUnknownFields: false }).ok).toBe(false);
  });

  it.each([
    ['left out', undefined],
    ['null', null],
    ['an array', [{ amountMinor: '15000', currency: 'KRW' }]],
  ])('refuses a required nested object %s', (_how, amount) => {
    const sample = JSON.parse(JSON.stringify(SAMPLE_PAYLOADS[EVENT_TYPES.paymentRequested])) as Record<
      string,
      unknown
    >;
    const orders = sample.paymentOrders as Record<string, unknown>[];
    const data = { ...sample, paymentOrders: [{ ...orders[0], amount }, orders[1]] };

    const result = validatePayload(eventTypes.get(EVENT_TYPES.paymentRequested).payload, data, {
      allowUnknownFields: false,
    });

    expect(result).toEqual({
      ok: false,
      violations: expect.arrayContaining([expect.objectContaining({ path: 'paymentOrders.0.amount' })]),
    });
  });
});

describe('plainCopyOf', () => {
  it('copies nested objects and arrays into plain ones and keeps every other value', () => {
    class Amount {
      constructor(
        readonly amountMinor: string,
        readonly currency: string,
      ) {}
    }
    const source = { lines: [new Amount('100', 'KRW')], note: undefined, count: 2, flag: null };
    const copy = plainCopyOf(source) as typeof source;
    expect(copy).toStrictEqual({
      lines: [{ amountMinor: '100', currency: 'KRW' }],
      note: undefined,
      count: 2,
      flag: null,
    });
    expect(copy.lines[0]).not.toBe(source.lines[0]);
  });
});
