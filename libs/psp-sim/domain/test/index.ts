// Test doubles of the simulator's time and ids, for the specs of psp-sim and its dialects
// (`@keel/psp-sim-domain/testing`); production code takes systemScheduler and randomIds.
export * from './fixed-ids';
export * from './manual-scheduler';
