export * from './keel-profile';
export * from './keel-service.module';
export * from './periodic-task';
export * from './run-service';
export * from './security-headers';
export * from './sensitive-variable';
export * from './service-environment';
export * from './start-service';
