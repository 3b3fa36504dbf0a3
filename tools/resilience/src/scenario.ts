import { startIsolatedSystem, type IsolatedSystem } from '@keel/local-system';

/** What a scenario hands back: the figures as lines, its report, and whether its promises held. */
export interface ScenarioOutcome {
  readonly lines: readonly string[];
  /** File under docs/benchmarks the run rewrites. */
  readonly reportFile: string;
  readonly markdown: (command: string, startedAt: Date) => string;
  /** False when a promise the scenario checks was broken (a double charge, an order not terminal…). */
  readonly passed: boolean;
}

export interface Scenario {
  readonly name: string;
  /** Reads its settings, starts the system it needs, runs, and always stops that system. */
  run(): Promise<ScenarioOutcome>;
}

/** Runs `work` on an isolated system (every process, fresh databases and topics), then stops it. */
export async function onIsolatedSystem<T>(
  environment: NodeJS.ProcessEnv,
  work: (isolated: IsolatedSystem) => Promise<T>,
): Promise<T> {
  const isolated = await startIsolatedSystem({ label: 'resilience', environment });
  try {
    return await work(isolated);
  } finally {
    await isolated.stop();
  }
}
