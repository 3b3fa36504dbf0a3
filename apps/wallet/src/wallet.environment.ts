import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { ServiceEnvironment } from '@keel/platform';

/** The most entries a page may ever be configured to hold; a page is one query and one response. */
export const ENTRIES_PAGE_LIMIT_CEILING = 1_000;

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

/**
 * The wallet service's environment: the platform's variables plus page sizes. No fee setting: each
 * credit applies the platform fee its event carries, as the payment service decided it.
 */
export class WalletEnvironment extends ServiceEnvironment {
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
