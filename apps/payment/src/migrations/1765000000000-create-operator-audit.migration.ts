import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_OPERATOR_AUDIT_TABLE, DROP_OPERATOR_AUDIT_TABLE } from '@keel/operator-auth';

/**
 * operator_audit: one row per operator write to the payment service (API keys created, listed,
 * revoked through /v1/admin/api-keys), with who, which token, what, the request's correlation id
 * and the answer's status. Expand only: a new table.
 */
export class CreateOperatorAudit1765000000000 implements MigrationInterface {
  name = 'CreateOperatorAudit1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of CREATE_OPERATOR_AUDIT_TABLE) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DROP_OPERATOR_AUDIT_TABLE);
  }
}
