export * from './test-database';
export * from './test-topics';
export * from './wait-for';
export * from './topic-reader';
export * from './test-namespace';
export * from './service-under-test';
export * from './prometheus-text';
export * from './service-skeleton';
