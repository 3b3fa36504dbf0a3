export * from './api-key';
export * from './local-secret';
