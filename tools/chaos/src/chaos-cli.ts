import { CHAOS_BREAK_NAMES, type ChaosBreakName } from './planted-bugs';
import { isProfileName, type ProfileName } from './profiles';

export interface ChaosCliOptions {
  readonly profile: ProfileName;
  readonly seed?: number;
  readonly breakName?: ChaosBreakName;
  readonly writeReport: boolean;
}

export const CHAOS_USAGE =
  'usage: npm run chaos [-- --profile short|long] [--seed N] [--break failover-on-unknown-outcome] [--write-report]';

function valueAfter(argv: readonly string[], index: number, flag: string): string {
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${CHAOS_USAGE}`);
  return value;
}

function seedOf(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new Error(`--seed must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

function breakOf(raw: string): ChaosBreakName {
  const found = CHAOS_BREAK_NAMES.find((name) => name === raw);
  if (found === undefined)
    throw new Error(`--break must be one of ${CHAOS_BREAK_NAMES.join(', ')}, got "${raw}"`);
  return found;
}

/** Reads the command line; anything unknown or malformed throws with the usage. */
export function parseChaosArguments(argv: readonly string[]): ChaosCliOptions {
  let profile: ProfileName = 'short';
  let seed: number | undefined;
  let breakName: ChaosBreakName | undefined;
  let writeReport = false;
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    switch (flag) {
      case '--profile': {
        const value = valueAfter(argv, index, flag);
        if (!isProfileName(value)) throw new Error(`--profile must be short or long, got "${value}"`);
        profile = value;
        index += 1;
        break;
      }
      case '--seed':
        seed = seedOf(valueAfter(argv, index, flag));
        index += 1;
        break;
      case '--break':
        breakName = breakOf(valueAfter(argv, index, flag));
        index += 1;
        break;
      case '--write-report':
        writeReport = true;
        break;
      default:
        throw new Error(`unknown argument "${flag}"\n${CHAOS_USAGE}`);
    }
  }
  return {
    profile,
    writeReport,
    ...(seed === undefined ? {} : { seed }),
    ...(breakName === undefined ? {} : { breakName }),
  };
}
