export * from './attempt-signal';
export * from './detection-rule';
export * from './detector';
export * from './diagnosis';
export * from './signal-window';
export * from './routing-plan';
