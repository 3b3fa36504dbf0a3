import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { horizonOf, ruleProblems, type DetectionRule } from '@keel/ops-domain';
import { InvalidDetectionRulesError } from '../ops.errors';
import { DetectionRuleRepository, type StoredRuleSet } from './detection-rule.repository';

export const WINDOW_HORIZON_MS = Symbol('keel.ops.window-horizon-ms');

/** The detection rules for people: read, and replaced whole once every problem is fixed. */
@Injectable()
export class DetectionRules {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DetectionRuleRepository,
    @Inject(WINDOW_HORIZON_MS) private readonly horizonMs: number,
  ) {}

  current(): Promise<StoredRuleSet> {
    return this.repository.find(this.dataSource.manager);
  }

  /** Applies at every instance's next detection run. */
  replace(rules: readonly DetectionRule[], actor: string): Promise<StoredRuleSet> {
    const problems = ruleProblems(rules);
    const horizonMs = horizonOf(rules);
    if (horizonMs > this.horizonMs)
      problems.push(
        `the rules read ${horizonMs} ms of history (window plus baseline); the windows keep ${this.horizonMs} ms (OPS_WINDOW_HORIZON_MS)`,
      );
    if (problems.length > 0) throw new InvalidDetectionRulesError(problems);
    return this.repository.replace(this.dataSource.manager, rules, actor);
  }
}
