/**
 * The part of opossum 9 (which ships no types) that the executor uses. Kept deliberately small:
 * no `timeout` (connectors time out per call), no `abortController` (opossum's one controller
 * would abort every call in flight on the first timeout), no `errorFilter` (a filtered error
 * counts as a success).
 */
declare module 'opossum' {
  import { EventEmitter } from 'node:events';

  interface CircuitBreakerOptions {
    timeout: false;
    errorThresholdPercentage: number;
    volumeThreshold: number;
    rollingCountTimeout: number;
    rollingCountBuckets: number;
    resetTimeout: number;
    name?: string;
  }

  class CircuitBreaker<TArgs extends unknown[], TResult> extends EventEmitter {
    constructor(action: (...args: TArgs) => Promise<TResult>, options: CircuitBreakerOptions);
    fire(...args: TArgs): Promise<TResult>;
    shutdown(): void;
    readonly closed: boolean;
    readonly opened: boolean;
    readonly halfOpen: boolean;
    /** True in half-open until a trial call is admitted. */
    readonly pendingClose: boolean;
  }

  export = CircuitBreaker;
}
