import { startServiceUnderTest, type ServiceUnderTest } from '@keel/testing';
import { ReconciliationEnvironment } from '../src/reconciliation.environment';
import { reconciliationModule } from '../src/reconciliation.module';

export type ReconciliationUnderTest = ServiceUnderTest<ReconciliationEnvironment>;

/**
 * The reconciliation service in-process on a fresh database and topic namespace (libs/testing), with
 * `variables` over the test defaults. What only this service's tests need (readers of its topics,
 * its requests and queries) goes here as it comes.
 */
export function startReconciliation(variables: NodeJS.ProcessEnv = {}): Promise<ReconciliationUnderTest> {
  return startServiceUnderTest(reconciliationModule, ReconciliationEnvironment, {
    database: 'reconciliation',
    variables,
  });
}
