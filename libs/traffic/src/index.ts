export * from './open-loop';
export * from './percentile';
export * from './card-payment';
export * from './simulator-charges';
export * from './simulator-faults';
export * from './steady-traffic';
export * from './payment-settling';
