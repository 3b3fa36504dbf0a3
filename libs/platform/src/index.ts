export * from './keel-service.module';
export * from './run-service';
export * from './sensitive-variable';
export * from './service-environment';
export * from './start-service';
