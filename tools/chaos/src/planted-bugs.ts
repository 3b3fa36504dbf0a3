import type { SystemProcessName } from '@keel/local-system';

/** The bugs a run can plant in Keel to prove the checker catches them (`--break`). */
export const CHAOS_BREAK_NAMES = ['failover-on-unknown-outcome'] as const;
export type ChaosBreakName = (typeof CHAOS_BREAK_NAMES)[number];

/** How a run plants a bug: processes started from a test build's entry point, and their variables. */
export interface PlantedBug {
  /** Relative to the repository root; each lives in a `__fixtures__` folder, which the build leaves out. */
  readonly entryPoints: Readonly<Partial<Record<SystemProcessName, string>>>;
  readonly environment: NodeJS.ProcessEnv;
}

export const PLANTED_BUGS: Readonly<Record<ChaosBreakName, PlantedBug>> = {
  /**
   * The executor's PSP connectors read an unknown charge outcome as "certainly not charged", so the
   * order fails over to the next PSP instead of being resolved by inquiry: the classic double
   * charge. It shows only when the outcome is really unknown: acme's webhooks are signed with a
   * secret the executor does not hold (and sent once), so only an inquiry, which the bug skips,
   * could learn that acme charged.
   */
  'failover-on-unknown-outcome': {
    entryPoints: { executor: 'apps/executor/test/__fixtures__/failover-on-unknown-outcome.main.ts' },
    environment: {
      PSP_SIM_ACME_WEBHOOK_SECRET: 'whsec_chaos_not_the_executors_secret',
      PSP_SIM_WEBHOOK_MAX_RETRIES: '0',
    },
  },
};
