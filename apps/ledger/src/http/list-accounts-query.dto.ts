import { IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import {
  ACCOUNT_ID_LENGTH_MAX,
  ACCOUNT_KINDS,
  ACCOUNT_OWNER_PATTERN,
  type AccountKind,
} from '@keel/ledger-domain';
import { PageQuery } from './page.dto';

/** `GET /v1/accounts?owner=&merchantId=&kind=&currency=&limit=&cursor=`; filters combine with AND. */
export class ListAccountsQuery extends PageQuery {
  /** A seller or PSP id. */
  @IsOptional()
  @MaxLength(ACCOUNT_ID_LENGTH_MAX)
  @Matches(ACCOUNT_OWNER_PATTERN)
  @NoCardNumber()
  owner?: string;

  /** The merchant of seller payables: with `owner`, one merchant's seller's accounts. */
  @IsOptional()
  @MaxLength(ACCOUNT_ID_LENGTH_MAX)
  @Matches(ACCOUNT_OWNER_PATTERN)
  @NoCardNumber()
  merchantId?: string;

  @IsOptional()
  @IsIn(ACCOUNT_KINDS)
  kind?: AccountKind;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of three upper-case letters' })
  currency?: string;
}
