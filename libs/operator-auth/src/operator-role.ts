/**
 * What an operator may do, each role able to do everything of the ones before it: a viewer reads
 * (routes, orders, wallets, the ledger, metrics, internal docs), an operator also changes how Keel
 * runs (the routing table), an admin also manages merchants' credentials (API keys).
 */
export const OPERATOR_ROLES = ['viewer', 'operator', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export function isOperatorRole(value: unknown): value is OperatorRole {
  return typeof value === 'string' && (OPERATOR_ROLES as readonly string[]).includes(value);
}

/** Whether a holder of `held` may do what needs `needed`. */
export function roleSatisfies(held: OperatorRole, needed: OperatorRole): boolean {
  return OPERATOR_ROLES.indexOf(held) >= OPERATOR_ROLES.indexOf(needed);
}
