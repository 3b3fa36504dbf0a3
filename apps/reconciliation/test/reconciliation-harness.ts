import type { DynamicModule } from '@nestjs/common';
import { startServiceUnderTest, type ServiceUnderTest } from '@keel/testing';
import { ReconciliationEnvironment } from '../src/reconciliation.environment';
import { reconciliationModule } from '../src/reconciliation.module';
import { RECONCILIATION_RUN_STEPS } from '../src/steps/run-step';

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

/**
 * The service without its run steps (matching): a run ends `ingested` once its file is stored. For
 * the tests of ingestion alone, such as the streaming memory check, whose file would otherwise be
 * matched whole as well.
 */
export function startReconciliationIngestionOnly(
  variables: NodeJS.ProcessEnv = {},
): Promise<ReconciliationUnderTest> {
  const ingestionOnly = (environment: ReconciliationEnvironment): DynamicModule => {
    const module = reconciliationModule(environment);
    // The last provider of a token is the one Nest injects.
    return {
      ...module,
      providers: [...(module.providers ?? []), { provide: RECONCILIATION_RUN_STEPS, useValue: [] }],
    };
  };
  return startServiceUnderTest(ingestionOnly, ReconciliationEnvironment, {
    database: 'reconciliation',
    variables,
  });
}
