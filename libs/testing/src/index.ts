export * from './test-database';
export * from './test-topics';
export * from './wait-for';
export * from './topic-reader';
export * from './test-namespace';
export * from './service-under-test';
export { sumOfMetric } from '@keel/observability';
export * from './service-skeleton';
export * from './operator-authorization';
