import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { ServiceEnvironment } from '@keel/platform';
import { ROUNDING_MODES, type RoundingMode } from '@keel/money';
import { DEFAULT_FEE_POLICY, parseFeePolicy } from '@keel/fees';

/** The most entries a page may ever be configured to hold; a page is one query and one response. */
export const ENTRIES_PAGE_LIMIT_CEILING = 1_000;

/** Why `value` is not a fee table, in the words of the parser the service uses; undefined if it is one. */
function feeTableProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'WALLET_FEE_BPS must be a JSON object of basis points';
  try {
    parseFeePolicy(value, DEFAULT_FEE_POLICY.rounding);
    return undefined;
  } catch (error) {
    // The parser throws FeePolicyError for a bad table and JSON.parse's SyntaxError for bad JSON.
    return `WALLET_FEE_BPS: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function IsFeeBasisPointsTable(): PropertyDecorator {
  return ValidateBy({
    name: 'isFeeBasisPointsTable',
    validator: {
      validate: (value: unknown) => feeTableProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => feeTableProblem(args?.value) ?? 'invalid fee table',
    },
  });
}

/** The default page size cannot exceed the maximum, or every request without a limit would fail. */
function IsAtMostEntriesPageLimitMax(): PropertyDecorator {
  return ValidateBy({
    name: 'isAtMostEntriesPageLimitMax',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const max = (args?.object as WalletEnvironment | undefined)?.WALLET_ENTRIES_PAGE_LIMIT_MAX;
        return typeof value === 'number' && typeof max === 'number' && value <= max;
      },
      defaultMessage: () => 'WALLET_ENTRIES_PAGE_LIMIT_DEFAULT must not exceed WALLET_ENTRIES_PAGE_LIMIT_MAX',
    },
  });
}

/** The wallet service's environment: the platform's variables plus the fee rule and page sizes. */
export class WalletEnvironment extends ServiceEnvironment {
  /**
   * Platform fee in basis points per payment method type, as a JSON object; a type it leaves out
   * keeps the default of `@keel/fees`. MUST equal the ledger's fee table: each seller's wallet
   * balance equals the ledger's payable for that seller (invariant I5).
   */
  @IsFeeBasisPointsTable()
  WALLET_FEE_BPS: string = JSON.stringify(DEFAULT_FEE_POLICY.basisPointsByMethod);

  /** How the fee is rounded to a whole minor unit; MUST equal the ledger's. */
  @IsIn(ROUNDING_MODES)
  WALLET_FEE_ROUNDING: RoundingMode = DEFAULT_FEE_POLICY.rounding;

  /** Entries per page of `GET /v1/wallets/{sellerId}` when the request names no limit. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @IsAtMostEntriesPageLimitMax()
  WALLET_ENTRIES_PAGE_LIMIT_DEFAULT = 20;

  /** The largest `limit` a request may ask for; larger ones are refused with 400. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ENTRIES_PAGE_LIMIT_CEILING)
  WALLET_ENTRIES_PAGE_LIMIT_MAX = 100;
}
