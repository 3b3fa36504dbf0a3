import { LOCAL_OPERATOR_TOKEN_SECRET, mintOperatorToken, type OperatorRole } from '@keel/operator-auth';

export interface OperatorAuthorizationOptions {
  /** The OPERATOR_TOKEN_SECRET of the service called; the local one (KEEL_PROFILE=local) by default. */
  readonly secret?: string;
  readonly name?: string;
}

/** Tests' tokens live an hour: within any OPERATOR_TOKEN_MAX_TTL_HOURS. */
const TEST_TOKEN_TTL_HOURS = 1;

/**
 * `Authorization` for an operator of `role` (a fresh token, `Bearer op_…`): what tests and tools
 * send to a service's internal endpoints (/metrics, routes, wallet and ledger reads, admin).
 */
export function operatorAuthorization(
  role: OperatorRole,
  options: OperatorAuthorizationOptions = {},
): string {
  const { token } = mintOperatorToken(
    { name: options.name ?? 'keel-test', role, ttlHours: TEST_TOKEN_TTL_HOURS },
    {
      secret: options.secret ?? LOCAL_OPERATOR_TOKEN_SECRET,
      maxTtlHours: TEST_TOKEN_TTL_HOURS,
      clockSkewS: 0,
    },
    new Date(),
  );
  return `Bearer ${token}`;
}
