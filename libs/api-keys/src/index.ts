export * from './api-key';
export * from './local-secret';
export * from './api-key-verdict-cache';
export * from './api-key-admin';
