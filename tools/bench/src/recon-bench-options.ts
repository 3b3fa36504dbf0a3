import type { PspId } from '@keel/local-system';

/**
 * The PSPs whose dialect reconciliation reads, with their contract fees in basis points (psp-sim's
 * defaults): a PSP psp-sim simulates but reconciliation cannot read yet (a newly generated one) has
 * no bench.
 */
const RECONCILED_PSP_FEES = { acme: 250, nova: 290, swiftpay: 320 } as const satisfies Partial<
  Record<PspId, number>
>;
export type ReconciledPsp = keyof typeof RECONCILED_PSP_FEES;
const RECONCILED_PSPS = Object.keys(RECONCILED_PSP_FEES) as ReconciledPsp[];

export interface ReconBenchOptions {
  /** Rows of each file, one fresh service per size, side by side in the report. */
  readonly sizes: readonly number[];
  readonly psp: ReconciledPsp;
  /** The settlement day; some days before today by default (a day in the future is refused). */
  readonly date: string;
  readonly seed: number;
  /** The share of rows each difference class strikes. */
  readonly faultShare: number;
  /** Each PSP's contract fee in basis points: the file's fees, and the service's RECON_PSP_FEE_CONTRACTS. */
  readonly feeContracts: Readonly<Record<ReconciledPsp, number>>;
  /** Runs the service under `--cpu-prof`, its profile written here. */
  readonly cpuProfileDirectory?: string;
  /** Written to docs/benchmarks/ (false: printed only, for a trial run). */
  readonly writeReport: boolean;
  /** Leaves each size's database behind (its name printed), to EXPLAIN the run's statements on it. */
  readonly keepDatabase: boolean;
}

export const RECON_BENCH_USAGE = `usage: npm run bench:recon -- [--sizes 100000,1000000] [--psp acme|nova|swiftpay]
  [--date YYYY-MM-DD] [--seed <n>] [--fault-share <0..0.1>] [--cpu-prof <directory>] [--no-report] [--keep-database]`;

const DAY_MS = 86_400_000;
const SIZE_MAX = 10_000_000;

function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
}

function valueAfter(argv: readonly string[], index: number, flag: string): string {
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--'))
    throw new Error(`${flag} needs a value\n${RECON_BENCH_USAGE}`);
  return value;
}

function sizesOf(text: string): number[] {
  const sizes = text.split(',').map(Number);
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1 || size > SIZE_MAX))
    throw new Error(`--sizes takes row counts from 1 to ${SIZE_MAX}, got "${text}"\n${RECON_BENCH_USAGE}`);
  return sizes;
}

function pspOf(text: string): ReconciledPsp {
  const psp = RECONCILED_PSPS.find((id) => id === text);
  if (psp === undefined) throw new Error(`--psp is one of ${RECONCILED_PSPS.join(', ')}, got "${text}"`);
  return psp;
}

function shareOf(text: string): number {
  const share = Number(text);
  if (!(share >= 0 && share <= 0.1)) throw new Error(`--fault-share is within [0, 0.1], got "${text}"`);
  return share;
}

/** Reads the command line; anything unknown or malformed is an error that names it. */
export function parseReconBenchOptions(argv: readonly string[]): ReconBenchOptions {
  let options: ReconBenchOptions = {
    sizes: [100_000, 1_000_000],
    psp: 'acme',
    date: daysAgo(3),
    seed: 1,
    faultShare: 0.01,
    feeContracts: RECONCILED_PSP_FEES,
    writeReport: true,
    keepDatabase: false,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (flag === '--no-report' || flag === '--keep-database') {
      options =
        flag === '--no-report' ? { ...options, writeReport: false } : { ...options, keepDatabase: true };
      continue;
    }
    const value = valueAfter(argv, index, flag ?? '');
    index += 1;
    switch (flag) {
      case '--sizes':
        options = { ...options, sizes: sizesOf(value) };
        break;
      case '--psp':
        options = { ...options, psp: pspOf(value) };
        break;
      case '--date':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`--date is YYYY-MM-DD, got "${value}"`);
        options = { ...options, date: value };
        break;
      case '--seed':
        if (!Number.isSafeInteger(Number(value))) throw new Error(`--seed is an integer, got "${value}"`);
        options = { ...options, seed: Number(value) };
        break;
      case '--fault-share':
        options = { ...options, faultShare: shareOf(value) };
        break;
      case '--cpu-prof':
        options = { ...options, cpuProfileDirectory: value };
        break;
      default:
        throw new Error(`unknown flag ${flag}\n${RECON_BENCH_USAGE}`);
    }
  }
  return options;
}
