import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy } from 'class-validator';
import { ServiceEnvironment } from '@keel/platform';

/** The largest page any list endpoint can be configured to return. */
export const LEDGER_PAGE_SIZE_LIMIT = 1_000;
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

/**
 * The ledger's environment: the shared service variables plus read limits. No fee setting: a
 * charge posts the platform fee its event carries, as the payment service decided it.
 */
export class LedgerEnvironment extends ServiceEnvironment {
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
