import { IsOptional, IsString } from 'class-validator';
import { SAMPLE_PAYLOADS } from './__fixtures__/event-samples';
import { ContractErrorCode } from './contract.error';
import { defineEventType, EventTypeDefinition } from './event-type-definition';
import { EventTypeRegistry } from './event-type-registry';
import { EVENT_TYPES, eventTypes } from './event-types';
import { topicSpecOf } from './topics';

class ThingHappened {
  @IsString()
  thingId!: string;

  @IsOptional()
  @IsString()
  parentId?: string;
}

const THING_HAPPENED = defineEventType({
  type: 'keel.test.thing_happened.v1',
  topic: 'keel.test.v1',
  payload: ThingHappened,
  subject: 'thingId',
  visibility: 'internal',
  description: 'A test event.',
});

describe('default event types', () => {
  it('registers every pay-in event type', () => {
    expect(eventTypes.all().map((definition) => definition.type)).toEqual([
      'keel.payment.requested.v1',
      'keel.payment.completed.v1',
      'keel.payment.failed.v1',
      'keel.payment.partially_failed.v1',
      'keel.payment_order.execution_requested.v1',
      'keel.payment_order.succeeded.v1',
      'keel.payment_order.succeeded.v2',
      'keel.payment_order.declined.v1',
      'keel.payment_order.failed.v1',
      'keel.wallet.credited.v1',
      'keel.ledger.transaction_recorded.v1',
      'keel.psp.breaker_state_changed.v1',
      'keel.psp.attempt_recorded.v1',
      'keel.psp.method_availability_changed.v1',
      'keel.payment_order.orphan_charge_detected.v1',
      'keel.payment_order.orphan_charge_refunded.v1',
      'keel.payment_order.outcome_overdue.v1',
      'keel.reconciliation.run_completed.v1',
      'keel.reconciliation.discrepancy_opened.v1',
      'keel.reconciliation.discrepancy_resolved.v1',
      'keel.reconciliation.orphan_refund_requested.v1',
      'keel.reconciliation.fee_adjustment_requested.v1',
      'keel.ops.method_status_changed.v1',
    ]);
    expect(Object.keys(SAMPLE_PAYLOADS).sort()).toEqual(Object.values(EVENT_TYPES).sort());
  });

  it.each(eventTypes.all().map((definition) => [definition.type, definition]))(
    '%s is on a catalog topic and as visible as that topic',
    (_type, definition) => {
      expect(definition.visibility).toBe(topicSpecOf(definition.topic).visibility);
    },
  );

  it('keys each aggregate by its id', () => {
    const subjects = Object.fromEntries(
      eventTypes.all().map((definition) => [definition.type, definition.subject]),
    );
    expect(subjects).toMatchObject({
      [EVENT_TYPES.paymentCompleted]: 'paymentId',
      [EVENT_TYPES.paymentOrderSucceeded]: 'paymentOrderId',
      [EVENT_TYPES.paymentOrderSucceededV2]: 'paymentOrderId',
      [EVENT_TYPES.walletCredited]: 'sellerId',
      [EVENT_TYPES.ledgerTransactionRecorded]: 'paymentOrderId',
      [EVENT_TYPES.pspBreakerStateChanged]: 'pspId',
      [EVENT_TYPES.methodAvailabilityChanged]: 'paymentMethodType',
      [EVENT_TYPES.orphanChargeDetected]: 'paymentOrderId',
      [EVENT_TYPES.orphanChargeRefunded]: 'paymentOrderId',
      [EVENT_TYPES.paymentOrderOutcomeOverdue]: 'paymentOrderId',
      [EVENT_TYPES.reconciliationRunCompleted]: 'runId',
      [EVENT_TYPES.reconciliationDiscrepancyOpened]: 'discrepancyId',
      [EVENT_TYPES.reconciliationDiscrepancyResolved]: 'discrepancyId',
    });
  });
});

describe('EventTypeRegistry', () => {
  it('registers, finds and gets a type of its own', () => {
    const registry = new EventTypeRegistry().register(THING_HAPPENED);

    expect(registry.has(THING_HAPPENED.type)).toBe(true);
    expect(registry.get(THING_HAPPENED.type)).toBe(THING_HAPPENED);
    expect(registry.find('keel.test.other.v1')).toBeUndefined();
    expect(eventTypes.has(THING_HAPPENED.type)).toBe(false);
  });

  it('throws on get of an unknown type', () => {
    expect(() => new EventTypeRegistry().get('keel.test.other.v1')).toThrow(
      expect.objectContaining({ code: ContractErrorCode.UnknownEventType }),
    );
  });

  it('refuses a type registered twice', () => {
    expect(() => new EventTypeRegistry([THING_HAPPENED, THING_HAPPENED])).toThrow(
      expect.objectContaining({ code: ContractErrorCode.DuplicateEventType }),
    );
  });

  it.each<[string, Partial<EventTypeDefinition>]>([
    ['a name without a version', { type: 'keel.test.thing_happened' }],
    ['an upper-case name', { type: 'Keel.Test.Thing.v1' }],
    ['an empty topic', { topic: '' }],
    ['an empty description', { description: ' ' }],
    ['a subject that is not a validated property', { subject: 'otherId' }],
    ['an optional subject', { subject: 'parentId' }],
  ])('refuses %s', (_name, change) => {
    expect(() => new EventTypeRegistry([{ ...THING_HAPPENED, ...change }])).toThrow(
      expect.objectContaining({ code: ContractErrorCode.InvalidEventTypeDefinition }),
    );
  });
});
