import { parseArgs } from 'node:util';
import { API_KEY_DAYS_MAX, API_KEY_MODES, type ApiKeyMode } from '@keel/api-keys';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export type KeysCommand =
  | {
      readonly kind: 'create';
      readonly merchantId: string;
      readonly mode: ApiKeyMode;
      readonly name: string;
      readonly expiresAt: Date | undefined;
    }
  | { readonly kind: 'list'; readonly merchantId: string }
  | { readonly kind: 'revoke'; readonly prefix: string; readonly at: Date | undefined };

export const KEYS_USAGE = `usage:
  npm run -s keys -- create --merchant <id> [--mode test|live] [--name <text>] [--expires-in-days <n>]
      prints the new key alone on stdout (shown once, stored only as a hash), details on stderr
  npm run -s keys -- list --merchant <id>
  npm run -s keys -- revoke <prefix> [--in-hours <n>]
      --in-hours keeps the key working that long (rotation: create the new key, deploy it, then
      the old one stops); payment instances see a revocation within API_KEY_CACHE_TTL_MS`;

export class KeysUsageError extends Error {}

function positiveNumber(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new KeysUsageError(`--${name} must be a number above 0 and at most ${max}, got "${raw}"`);
  }
  return value;
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new KeysUsageError(`--${name} is required`);
  return value;
}

/** The command the arguments (after `npm run keys --`) name, read at `now`. */
export function parseKeysCommand(argv: readonly string[], now: Date): KeysCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      merchant: { type: 'string' },
      mode: { type: 'string' },
      name: { type: 'string' },
      'expires-in-days': { type: 'string' },
      'in-hours': { type: 'string' },
    },
  });
  const [verb, ...rest] = positionals;
  switch (verb) {
    case 'create': {
      const mode = values.mode ?? 'test';
      if (!(API_KEY_MODES as readonly string[]).includes(mode)) {
        throw new KeysUsageError(`--mode must be one of ${API_KEY_MODES.join(', ')}, got "${mode}"`);
      }
      const days = positiveNumber('expires-in-days', values['expires-in-days'], API_KEY_DAYS_MAX);
      return {
        kind: 'create',
        merchantId: required('merchant', values.merchant),
        mode: mode as ApiKeyMode,
        name: values.name ?? '',
        expiresAt: days === undefined ? undefined : new Date(now.getTime() + days * DAY_MS),
      };
    }
    case 'list':
      return { kind: 'list', merchantId: required('merchant', values.merchant) };
    case 'revoke': {
      if (rest.length !== 1) throw new KeysUsageError('revoke takes one key prefix, e.g. sk_test_AbCd1234');
      const hours = positiveNumber('in-hours', values['in-hours'], API_KEY_DAYS_MAX * 24);
      return {
        kind: 'revoke',
        prefix: rest[0] ?? '',
        at: hours === undefined ? undefined : new Date(now.getTime() + hours * HOUR_MS),
      };
    }
    default:
      throw new KeysUsageError(verb === undefined ? 'a command is required' : `unknown command "${verb}"`);
  }
}
