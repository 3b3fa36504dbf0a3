import { AsyncApiDocument, AsyncApiMessage, buildAsyncApiDocument } from './asyncapi';
import { checkCompatibility, formatBreakingChanges } from './compatibility';
import { ContractErrorCode } from './contract.error';
import { JsonSchema } from './json-schema.util';

const TYPE = 'keel.order.placed.v1';
const MONEY: JsonSchema = {
  type: 'object',
  properties: {
    amountMinor: { type: 'string', pattern: '^[0-9]+$' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
  required: ['amountMinor', 'currency'],
};
const ORDER: JsonSchema = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    note: { type: 'string', maxLength: 100 },
    status: { type: 'string', enum: ['open', 'closed'] },
    amount: { $ref: '#/components/schemas/Money' },
    lines: { type: 'array', maxItems: 10, items: { $ref: '#/components/schemas/Money' } },
  },
  required: ['orderId', 'status', 'amount', 'lines'],
};

function message(overrides: Partial<AsyncApiMessage> = {}): AsyncApiMessage {
  return {
    name: TYPE,
    title: TYPE,
    summary: 'An order was placed.',
    contentType: 'application/json',
    headers: { $ref: '#/components/schemas/Headers' },
    payload: { $ref: '#/components/schemas/Order' },
    bindings: { kafka: { key: { type: 'string' }, bindingVersion: '0.5.0' } },
    'x-keel-topic': 'keel.order.v1',
    'x-keel-subject': 'orderId',
    'x-keel-visibility': 'public',
    ...overrides,
  };
}

function documentOf(
  schemas: Record<string, JsonSchema>,
  messages: Record<string, AsyncApiMessage> = { [TYPE]: message() },
): AsyncApiDocument {
  return {
    asyncapi: '3.0.0',
    info: { title: 'test', version: '1.0.0', description: 'test' },
    defaultContentType: 'application/json',
    channels: {},
    operations: {},
    components: { messages, schemas },
  };
}

const BEFORE = documentOf({ Order: ORDER, Money: MONEY });

function orderWith(change: (order: JsonSchema) => JsonSchema): AsyncApiDocument {
  return documentOf({ Order: change(structuredClone(ORDER)), Money: MONEY });
}

function kindsOf(after: AsyncApiDocument, options = {}): string[] {
  return checkCompatibility(BEFORE, after, options).breakingChanges.map(
    (found) => `${found.kind} ${found.path}`,
  );
}

describe('checkCompatibility', () => {
  it('passes an unchanged document', () => {
    expect(checkCompatibility(BEFORE, structuredClone(BEFORE))).toEqual({
      compatible: true,
      breakingChanges: [],
    });
  });

  it('passes an added optional field, a new type and new descriptions', () => {
    const after = documentOf(
      {
        Order: {
          ...ORDER,
          description: 'now documented',
          properties: { ...ORDER.properties, tip: { type: 'string' } },
        },
        Money: MONEY,
      },
      {
        [TYPE]: message({ summary: 'Reworded.' }),
        'keel.order.shipped.v1': message({ name: 'keel.order.shipped.v1' }),
      },
    );
    expect(checkCompatibility(BEFORE, after).compatible).toBe(true);
  });

  it('passes a renamed schema with the same shape', () => {
    const after = documentOf({
      Order: { ...ORDER, properties: { ...ORDER.properties, amount: { $ref: '#/components/schemas/Cash' } } },
      Money: MONEY,
      Cash: MONEY,
    });
    expect(checkCompatibility(BEFORE, after).compatible).toBe(true);
  });

  it('reports a removed field', () => {
    expect(
      kindsOf(
        orderWith((order) => {
          delete order.properties?.note;
          return order;
        }),
      ),
    ).toEqual(['field_removed note']);
  });

  it('reports a field that became required', () => {
    expect(
      kindsOf(orderWith((order) => ({ ...order, required: [...(order.required ?? []), 'note'] }))),
    ).toEqual(['field_became_required note']);
  });

  it('reports a field that became optional', () => {
    expect(kindsOf(orderWith((order) => ({ ...order, required: ['orderId', 'amount', 'lines'] })))).toEqual([
      'field_became_optional status',
    ]);
  });

  it('reports a new required field', () => {
    const added = orderWith((order) => ({
      ...order,
      properties: { ...order.properties, channel: { type: 'string' } },
      required: [...(order.required ?? []), 'channel'],
    }));
    expect(kindsOf(added)).toEqual(['required_field_added channel']);
  });

  it('reports a type change and stops there', () => {
    const changed = orderWith((order) => ({
      ...order,
      properties: { ...order.properties, note: { type: 'integer', maxLength: 5 } },
    }));
    expect(kindsOf(changed)).toEqual(['field_type_changed note']);
  });

  it('reports a nested object replaced by a string', () => {
    const changed = orderWith((order) => ({
      ...order,
      properties: { ...order.properties, amount: { type: 'string' } },
    }));
    expect(kindsOf(changed)).toEqual(['field_type_changed amount']);
  });

  it('reports changed constraints, such as an enum or a bound', () => {
    const changed = orderWith((order) => ({
      ...order,
      properties: {
        ...order.properties,
        status: { type: 'string', enum: ['open', 'closed', 'held'] },
        lines: { ...order.properties?.lines, maxItems: 20 },
      },
    }));
    expect(kindsOf(changed)).toEqual(['field_constraint_changed status', 'field_constraint_changed lines']);
  });

  it('follows references into nested schemas and array items', () => {
    const money = structuredClone(MONEY);
    delete money.properties?.currency;
    money.properties = { ...money.properties, amountMinor: { type: 'integer' } };

    expect(kindsOf(documentOf({ Order: ORDER, Money: money }))).toEqual([
      'field_type_changed amount.amountMinor',
      'field_removed amount.currency',
      'field_type_changed lines[].amountMinor',
      'field_removed lines[].currency',
    ]);
  });

  it('reports a removed type unless it was retired', () => {
    const after = documentOf({ Order: ORDER, Money: MONEY }, {});
    expect(kindsOf(after)).toEqual(['type_removed ']);
    expect(kindsOf(after, { retiredTypes: [TYPE] })).toEqual([]);
  });

  it('reports a type moved to another topic or keyed by another field', () => {
    const after = documentOf(
      { Order: ORDER, Money: MONEY },
      { [TYPE]: message({ 'x-keel-topic': 'keel.order.v2', 'x-keel-subject': 'customerId' }) },
    );
    expect(kindsOf(after)).toEqual(['topic_changed ', 'subject_changed ']);
  });

  it('formats the changes for a CI message', () => {
    const report = checkCompatibility(
      BEFORE,
      orderWith((order) => ({ ...order, required: ['orderId'] })),
    );
    expect(formatBreakingChanges(report.breakingChanges)).toBe(
      [
        `${TYPE} status: field_became_optional (old consumers require it)`,
        `${TYPE} amount: field_became_optional (old consumers require it)`,
        `${TYPE} lines: field_became_optional (old consumers require it)`,
      ].join('\n'),
    );
  });

  it('refuses a reference it cannot resolve', () => {
    const after = documentOf({ Order: ORDER });
    expect(() => checkCompatibility(BEFORE, after)).toThrow(
      expect.objectContaining({ code: ContractErrorCode.UnsupportedSchema }),
    );
  });

  it('stops at a cyclic reference instead of looping', () => {
    const cyclic: JsonSchema = {
      type: 'object',
      properties: { next: { $ref: '#/components/schemas/Node' } },
    };
    const document = documentOf(
      { Order: ORDER, Money: MONEY, Node: cyclic },
      {
        [TYPE]: message({ payload: { $ref: '#/components/schemas/Node' } }),
      },
    );
    expect(() => checkCompatibility(document, document, { schemaDepthMax: 8 })).toThrow(
      expect.objectContaining({ code: ContractErrorCode.UnsupportedSchema }),
    );
  });

  it('passes the generated document against itself', () => {
    const document = buildAsyncApiDocument();
    expect(checkCompatibility(document, buildAsyncApiDocument()).compatible).toBe(true);
  });
});
