export * from './psp-accounts.environment';
