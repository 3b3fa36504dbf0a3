import { parseArgs } from 'node:util';
import { isOperatorRole, OPERATOR_ROLES, type OperatorRole } from '@keel/operator-auth';

export interface TokenCommand {
  readonly kind: 'token';
  readonly name: string;
  readonly role: OperatorRole;
  /** The longest allowed (OPERATOR_TOKEN_MAX_TTL_HOURS) when not given. */
  readonly ttlHours: number | undefined;
}

export type OperatorCommand = TokenCommand;

export const OPERATOR_USAGE = `usage:
  npm run -s operator -- token --name <who> --role viewer|operator|admin [--ttl-hours <n>]
      prints an operator token alone on stdout (Authorization: Bearer <token>), details on stderr;
      signed with OPERATOR_TOKEN_SECRET, or the local secret under KEEL_PROFILE=local;
      it lives --ttl-hours, at most OPERATOR_TOKEN_MAX_TTL_HOURS (24 by default)`;

export class OperatorUsageError extends Error {}

/** The command the arguments (after `npm run operator --`) name. */
export function parseOperatorCommand(argv: readonly string[]): OperatorCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      'ttl-hours': { type: 'string' },
    },
  });
  const [verb, ...rest] = positionals;
  if (verb !== 'token') {
    throw new OperatorUsageError(verb === undefined ? 'a command is required' : `unknown command "${verb}"`);
  }
  if (rest.length > 0) throw new OperatorUsageError(`unexpected argument "${rest[0]}"`);
  const name = values.name;
  if (name === undefined || name === '') throw new OperatorUsageError('--name is required');
  const role = values.role;
  if (!isOperatorRole(role)) {
    throw new OperatorUsageError(`--role must be one of ${OPERATOR_ROLES.join(', ')}, got "${role ?? ''}"`);
  }
  const rawTtl = values['ttl-hours'];
  const ttlHours = rawTtl === undefined ? undefined : Number(rawTtl);
  if (ttlHours !== undefined && !(Number.isFinite(ttlHours) && ttlHours > 0)) {
    throw new OperatorUsageError(`--ttl-hours must be a number above 0, got "${rawTtl}"`);
  }
  return { kind: 'token', name, role, ttlHours };
}
