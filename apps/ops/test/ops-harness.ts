import { startServiceUnderTest, type ServiceUnderTest } from '@keel/testing';
import { OpsEnvironment } from '../src/ops.environment';
import { opsModule } from '../src/ops.module';

export type OpsUnderTest = ServiceUnderTest<OpsEnvironment>;

/**
 * The ops service in-process on a fresh database and topic namespace (libs/testing), with
 * `variables` over the test defaults. What only this service's tests need (readers of its topics,
 * its requests and queries) goes here as it comes.
 */
export function startOps(variables: NodeJS.ProcessEnv = {}): Promise<OpsUnderTest> {
  return startServiceUnderTest(opsModule, OpsEnvironment, { database: 'ops', variables });
}
