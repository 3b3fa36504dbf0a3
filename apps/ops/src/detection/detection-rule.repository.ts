import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_DETECTION_RULES, type DetectionRule } from '@keel/ops-domain';

export interface StoredRuleSet {
  readonly rules: DetectionRule[];
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

/** The SQL of detection_rule_set: the rules in force, one row, seeded with Keel's defaults. */
@Injectable()
export class DetectionRuleRepository {
  /** Writes the defaults unless a rule set is there already (every instance may try at start). */
  async seed(manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO detection_rule_set (id, rules, updated_by) VALUES (1, $1::jsonb, 'ops:defaults')
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(DEFAULT_DETECTION_RULES)],
    );
  }

  async find(manager: EntityManager): Promise<StoredRuleSet> {
    const [row] = (await manager.query(
      'SELECT rules, updated_by, updated_at FROM detection_rule_set WHERE id = 1',
    )) as { rules: DetectionRule[]; updated_by: string; updated_at: Date }[];
    if (row === undefined) throw new Error('detection_rule_set has no row: the rules were never seeded');
    return { rules: row.rules, updatedBy: row.updated_by, updatedAt: row.updated_at };
  }

  async replace(
    manager: EntityManager,
    rules: readonly DetectionRule[],
    actor: string,
  ): Promise<StoredRuleSet> {
    await manager.query(
      `UPDATE detection_rule_set SET rules = $1::jsonb, updated_by = $2, updated_at = now() WHERE id = 1`,
      [JSON.stringify(rules), actor],
    );
    return this.find(manager);
  }
}
