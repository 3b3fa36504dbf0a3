export * from './asyncapi';
export * from './card-number.decorator';
export * from './card-number.util';
export * from './compatibility';
export * from './contract.error';
export * from './envelope';
export * from './event-type-definition';
export * from './event-type-registry';
export * from './event-types';
export * from './events/failure.payload';
export * from './events/ledger.event';
export * from './events/money.payload';
export * from './events/payment-method.payload';
export * from './events/payment-order.event';
export * from './events/payment.event';
export * from './events/psp.event';
export * from './events/reconciliation.event';
export * from './events/method-availability.event';
export * from './events/ops.event';
export * from './events/orphan-charge.event';
export * from './events/outcome-overdue.event';
export * from './events/wallet.event';
export { JsonSchema } from './json-schema.util';
export {
  KafkaHeaders,
  KafkaHeaderValue,
  normaliseKafkaHeaders,
  NormalisedHeadersResult,
} from './kafka-headers.util';
export * from './kafka-record';
export * from './page-cursor';
export * from './payload-decorators.util';
export * from './topics';
export * from './traceparent.util';
