// Test doubles of the simulator's time, ids and fees, for the specs of psp-sim and its dialects
// (`@keel/psp-sim-domain/testing`); production code takes systemScheduler, randomIds and the
// environment's fees.
export * from './fees';
export * from './fixed-ids';
export * from './manual-scheduler';
