import { ServiceEnvironment } from '@keel/platform';

/**
 * The reconciliation service's environment: the variables every Keel service reads, and its own as
 * it gains them, each with validation rules, a safe default and limits; secrets marked @Sensitive().
 */
export class ReconciliationEnvironment extends ServiceEnvironment {}
