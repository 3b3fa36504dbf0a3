export * from './local-secret';
export * from './operator-audit';
export * from './operator-auth.errors';
export * from './operator-auth.module';
export * from './operator-guard';
export * from './operator-role';
export * from './operator-token';
