import type { IsolatedSystem } from '@keel/local-system';

/** What a scenario hands back: the figures as lines, its report, and whether its promises held. */
export interface ScenarioOutcome {
  readonly lines: readonly string[];
  readonly markdown: (command: string, startedAt: Date) => string;
  /** False when a promise the scenario checks was broken (a double charge, an order not terminal…). */
  readonly passed: boolean;
}

export interface Scenario {
  readonly name: string;
  /** File under docs/benchmarks the run rewrites. */
  readonly reportFile: string;
  /** Extra variables for every process of the isolated system (read when the scenario is chosen). */
  environment(): NodeJS.ProcessEnv;
  run(isolated: IsolatedSystem): Promise<ScenarioOutcome>;
}
