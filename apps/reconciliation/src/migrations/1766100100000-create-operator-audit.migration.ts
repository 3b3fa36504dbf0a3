import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_OPERATOR_AUDIT_TABLE, DROP_OPERATOR_AUDIT_TABLE } from '@keel/operator-auth';

/**
 * operator_audit: one row per operator write to reconciliation (runs started by an operator, files
 * uploaded), with who, which token, what, the request's correlation id and the answer's status.
 */
export class CreateOperatorAudit1766100100000 implements MigrationInterface {
  name = 'CreateOperatorAudit1766100100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of CREATE_OPERATOR_AUDIT_TABLE) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DROP_OPERATOR_AUDIT_TABLE);
  }
}
