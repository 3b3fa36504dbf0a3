import { CurrencyCode, Money, percentageOfBasisPoints } from '@keel/money';
import type { SettlementFileSummary } from '../settlement-file-summary';
import { SETTLEMENT_PSPS, SettlementPsp } from '../settlement-psp';
import type { SettlementRow } from '../settlement-row';

/** What a PSP's contract lets it keep of a charge: basis points of the amount, half-up to the minor unit; refunds carry none. */
export interface PspFeeContract {
  readonly basisPoints: number;
}

export type PspFeeContracts = Readonly<Record<SettlementPsp, PspFeeContract>>;

/** psp-sim's contracts (docs/settlement-files.md, `PSP_SIM_FEE_BPS_*`): the safe default for local runs. */
export const DEFAULT_PSP_FEE_CONTRACTS: PspFeeContracts = {
  acme: { basisPoints: 250 },
  nova: { basisPoints: 290 },
  swiftpay: { basisPoints: 320 },
};

export class PspFeeContractError extends Error {
  override readonly name = 'PspFeeContractError';
}

/** The fee the contract allows on one charge of `amountMinor`. */
export function contractFeeMinor(
  contract: PspFeeContract,
  amountMinor: bigint,
  currency: CurrencyCode,
): bigint {
  return percentageOfBasisPoints(Money.of(amountMinor, currency), contract.basisPoints, 'half_up')
    .amountMinor;
}

/** The fee the contract allows on a row: its charge's, or zero for a refund. */
export function contractFeeOfRow(contract: PspFeeContract, row: SettlementRow): bigint {
  return row.kind === 'charge' ? contractFeeMinor(contract, row.amountMinor, row.currency) : 0n;
}

/** Reads contracts from configuration such as `{"acme":250,"nova":180,"swiftpay":300}`: every PSP, whole basis points below 10,000. */
export function parsePspFeeContracts(json: string): PspFeeContracts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new PspFeeContractError('PSP fee contracts must be JSON such as {"acme":250}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PspFeeContractError('PSP fee contracts must be a JSON object of PSP to basis points');
  }
  const entries = parsed as Record<string, unknown>;
  const unknown = Object.keys(entries).filter((psp) => !(SETTLEMENT_PSPS as readonly string[]).includes(psp));
  if (unknown.length > 0)
    throw new PspFeeContractError(`unknown PSP ${unknown.join(', ')} in the fee contracts`);
  return Object.fromEntries(
    SETTLEMENT_PSPS.map((psp) => {
      const basisPoints = entries[psp];
      if (
        !Number.isInteger(basisPoints) ||
        (basisPoints as number) < 0 ||
        (basisPoints as number) >= 10_000
      ) {
        throw new PspFeeContractError(`the fee contract of ${psp} must be whole basis points from 0 to 9999`);
      }
      return [psp, { basisPoints: basisPoints as number }];
    }),
  ) as Record<SettlementPsp, PspFeeContract>;
}

/** A currency whose per-file fee (nova's trailer) differs from what the contract allows on the file's rows. */
export interface FileFeeDifference {
  readonly currency: CurrencyCode;
  readonly statedMinor: bigint;
  readonly contractMinor: bigint;
  /** stated − contract: positive when the PSP kept more than its contract allows. */
  readonly differenceMinor: bigint;
}

/**
 * Checks a per-file fee as the rows stream past: the contract fee of each row, rounded per row,
 * summed per currency; compared with the trailer's fee once the file has been read.
 */
export class FileFeeCheck {
  readonly #contractFees = new Map<CurrencyCode, bigint>();

  constructor(private readonly contract: PspFeeContract) {}

  add(row: SettlementRow): void {
    this.#contractFees.set(
      row.currency,
      (this.#contractFees.get(row.currency) ?? 0n) + contractFeeOfRow(this.contract, row),
    );
  }

  /** The currencies whose stated file fee differs from the contract's; none for a dialect without file fees. */
  differences(summary: SettlementFileSummary): FileFeeDifference[] {
    const differences: FileFeeDifference[] = [];
    for (const [currency, totals] of summary.totalsByCurrency) {
      if (totals.fileFeeMinor === undefined) continue;
      const contractMinor = this.#contractFees.get(currency) ?? 0n;
      if (totals.fileFeeMinor !== contractMinor) {
        differences.push({
          currency,
          statedMinor: totals.fileFeeMinor,
          contractMinor,
          differenceMinor: totals.fileFeeMinor - contractMinor,
        });
      }
    }
    return differences;
  }
}
