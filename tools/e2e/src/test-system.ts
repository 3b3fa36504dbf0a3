import { startIsolatedSystem, type IsolatedSystem } from '@keel/local-system';

export type TestSystem = IsolatedSystem;

/** The whole system for an end-to-end test, isolated from every other run. */
export function startTestSystem(environment: NodeJS.ProcessEnv = {}): Promise<TestSystem> {
  return startIsolatedSystem({ label: 'e2e', environment });
}
