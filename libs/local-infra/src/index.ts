export * from './infra-state';
