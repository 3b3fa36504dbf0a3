export * from './free-port.util';
export * from './kafka-broker';
export * from './keel-system';
export * from './service-catalog';
export * from './service-process';
export * from './isolated-system';
export * from './ready-balancer';
export * from './reset-socket.util';
