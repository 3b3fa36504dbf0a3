import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { DEFAULT_FEE_POLICY, FeePolicyError, parseFeePolicy, type FeePolicy } from '@keel/fees';
import { ROUNDING_MODES, type RoundingMode } from '@keel/money';
import { ServiceEnvironment } from '@keel/platform';

/** The largest page any list endpoint can be configured to return. */
export const LEDGER_PAGE_SIZE_LIMIT = 1_000;
/** The fee table is configuration, so its size is bounded like any other input. */
const FEE_TABLE_LENGTH_MAX = 4_096;

/** Why LEDGER_FEE_BPS is not a fee table, in the words of the shared parser; undefined if it is one. */
function feeTableProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > FEE_TABLE_LENGTH_MAX) {
    return `LEDGER_FEE_BPS must be a JSON object of basis points, at most ${FEE_TABLE_LENGTH_MAX} characters`;
  }
  try {
    parseFeePolicy(value, DEFAULT_FEE_POLICY.rounding);
    return undefined;
  } catch (error) {
    if (error instanceof FeePolicyError || error instanceof SyntaxError)
      return `LEDGER_FEE_BPS: ${error.message}`;
    throw error;
  }
}

function IsFeeTable(): PropertyDecorator {
  return ValidateBy({
    name: 'isFeeTable',
    validator: {
      validate: (value) => feeTableProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => feeTableProblem(args?.value) ?? 'invalid fee table',
    },
  });
}

function IsNotAbovePageSizeMax(): PropertyDecorator {
  return ValidateBy({
    name: 'isNotAbovePageSizeMax',
    validator: {
      validate: (value, args) =>
        typeof value === 'number' && value <= (args?.object as LedgerEnvironment).LEDGER_PAGE_SIZE_MAX,
      defaultMessage: () => 'LEDGER_PAGE_SIZE_DEFAULT must not exceed LEDGER_PAGE_SIZE_MAX',
    },
  });
}

/** The ledger's environment: the shared service variables plus the fee rule and read limits. */
export class LedgerEnvironment extends ServiceEnvironment {
  /**
   * Platform fee in basis points per payment method type, as a JSON object; a type it leaves out
   * keeps the default of @keel/fees. MUST equal the wallet's WALLET_FEE_BPS, or a seller's wallet
   * balance and their payable here drift apart.
   */
  @IsFeeTable()
  LEDGER_FEE_BPS: string = JSON.stringify(DEFAULT_FEE_POLICY.basisPointsByMethod);

  /** How a fee's fraction of a minor unit is rounded; MUST equal the wallet's. */
  @IsIn(ROUNDING_MODES)
  LEDGER_FEE_ROUNDING: RoundingMode = DEFAULT_FEE_POLICY.rounding;

  /** Items per page when a list request names no limit. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @IsNotAbovePageSizeMax()
  LEDGER_PAGE_SIZE_DEFAULT = 50;

  /** A larger requested limit is lowered to this. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LEDGER_PAGE_SIZE_LIMIT)
  LEDGER_PAGE_SIZE_MAX = 200;

  /** Accounts listed in a trial balance; the totals always cover every account. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  LEDGER_TRIAL_BALANCE_ACCOUNTS_MAX = 1_000;

  /** Mismatching accounts listed by the balance check; its count covers them all. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  LEDGER_BALANCE_CHECK_MISMATCHES_MAX = 100;
}

/** The fee policy the environment describes; the environment was validated at boot. */
export function feePolicyOf(environment: LedgerEnvironment): FeePolicy {
  return parseFeePolicy(environment.LEDGER_FEE_BPS, environment.LEDGER_FEE_ROUNDING);
}
