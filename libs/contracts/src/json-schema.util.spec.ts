import { IsEmail, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ContractErrorCode } from './contract.error';
import { PaymentRequestedPayload } from './events/payment.event';
import { MoneyPayload } from './events/money.payload';
import { reachablePayloadClasses, schemaOfPayloadClass } from './json-schema.util';
import { NestedPayload, NestedPayloadArray } from './payload-decorators.util';

class Line {
  @IsInt()
  @Min(1)
  @Max(9)
  quantity!: number;

  @IsOptional()
  @IsString({ each: true })
  tags?: string[];
}

class Order {
  @NestedPayload(() => MoneyPayload)
  total!: MoneyPayload;

  @NestedPayloadArray(() => Line, { minItems: 1, maxItems: 5 })
  lines!: Line[];
}

class WithEmail {
  @IsEmail()
  email!: string;
}

class WithFlaggedPattern {
  @Matches(/^abc$/i)
  code!: string;
}

describe('schemaOfPayloadClass', () => {
  it('maps string rules, patterns and required fields', () => {
    expect(schemaOfPayloadClass(MoneyPayload)).toEqual({
      type: 'object',
      properties: {
        amountMinor: { type: 'string', pattern: '^(0|-?[1-9][0-9]{0,17})$' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      },
      required: ['amountMinor', 'currency'],
    });
  });

  it('maps numbers, bounds, optional fields and rules applied to each item', () => {
    expect(schemaOfPayloadClass(Line)).toEqual({
      type: 'object',
      properties: {
        quantity: { type: 'integer', minimum: 1, maximum: 9 },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['quantity'],
    });
  });

  it('refers to nested classes and bounds nested arrays', () => {
    expect(schemaOfPayloadClass(Order).properties).toEqual({
      total: { $ref: '#/components/schemas/MoneyPayload' },
      lines: { type: 'array', minItems: 1, maxItems: 5, items: { $ref: '#/components/schemas/Line' } },
    });
  });

  it('describes enums, timestamps and optional references of an event payload', () => {
    const schema = schemaOfPayloadClass(PaymentRequestedPayload);
    expect(schema.properties?.requestedAt).toEqual({ type: 'string', format: 'date-time' });
    expect(schema.properties?.merchantReference).toEqual({ type: 'string', minLength: 1, maxLength: 128 });
    expect(schema.required).not.toContain('merchantReference');
  });

  it('refuses a decorator it cannot express, rather than publish an incomplete schema', () => {
    expect(() => schemaOfPayloadClass(WithEmail)).toThrow(
      expect.objectContaining({ code: ContractErrorCode.UnsupportedSchema }),
    );
  });

  it('refuses a pattern with flags, which JSON Schema cannot carry', () => {
    expect(() => schemaOfPayloadClass(WithFlaggedPattern)).toThrow(
      expect.objectContaining({ code: ContractErrorCode.UnsupportedSchema }),
    );
  });
});

describe('reachablePayloadClasses', () => {
  it('collects nested classes once each', () => {
    expect(reachablePayloadClasses([Order, Order, Line]).map((found) => found.name)).toEqual([
      'Order',
      'MoneyPayload',
      'Line',
    ]);
  });
});
