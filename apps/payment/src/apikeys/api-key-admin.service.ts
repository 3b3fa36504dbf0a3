import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ApiKeyAdmin,
  ApiKeyAdminError,
  type ApiKeyAdminRefusal,
  type ApiKeyRecord,
  type NewApiKeyOptions,
} from '@keel/api-keys';
import type { PaymentEnvironment } from '../payment.environment';
import { ApiKeyAdminProblem, ApiKeyAdminProblemCode } from '../payment.errors';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';

const PROBLEM_OF_REFUSAL: Readonly<Record<ApiKeyAdminRefusal, ApiKeyAdminProblemCode>> = {
  invalid_merchant: ApiKeyAdminProblemCode.MerchantIdInvalid,
  unknown_prefix: ApiKeyAdminProblemCode.ApiKeyNotFound,
  ambiguous_prefix: ApiKeyAdminProblemCode.ApiKeyPrefixAmbiguous,
  already_revoked: ApiKeyAdminProblemCode.ApiKeyAlreadyRevoked,
};

/**
 * Merchants' API keys as operators manage them through the admin endpoints: @keel/api-keys'
 * ApiKeyAdmin (the same as `npm run keys`) on the service's own pool and hash secret, its refusals
 * as problems. A revocation reaches every instance within API_KEY_CACHE_TTL_MS.
 */
/** The rows of a statement run by TypeORM, which answers an UPDATE ... RETURNING with [rows, affectedCount]. */
function rowsOf(result: unknown): readonly object[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as object[];
  }
  return result as object[];
}

@Injectable()
export class ApiKeyAdminService {
  private readonly admin: ApiKeyAdmin;

  constructor(dataSource: DataSource, @Inject(PAYMENT_ENVIRONMENT) environment: PaymentEnvironment) {
    this.admin = new ApiKeyAdmin(
      async (sql, values) => rowsOf(await dataSource.query<unknown>(sql, [...values])),
      environment.API_KEY_HASH_SECRET,
    );
  }

  create(options: NewApiKeyOptions): Promise<{ key: string; record: ApiKeyRecord }> {
    return this.refusalsAsProblems(() => this.admin.create(options));
  }

  list(merchantId: string): Promise<ApiKeyRecord[]> {
    return this.admin.list(merchantId);
  }

  revoke(prefix: string, at?: Date): Promise<ApiKeyRecord> {
    return this.refusalsAsProblems(() => this.admin.revoke(prefix, at));
  }

  private async refusalsAsProblems<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ApiKeyAdminError) {
        throw new ApiKeyAdminProblem(PROBLEM_OF_REFUSAL[error.reason], `${error.message}.`);
      }
      throw error;
    }
  }
}
