import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { API_KEY_DAYS_MAX, API_KEY_MODES, type ApiKeyMode, type ApiKeyRecord } from '@keel/api-keys';
import { IDENTIFIER_PATTERN, NoCardNumber } from '@keel/contracts';

/** A key's name is a note for people: bounded like any input. */
const API_KEY_NAME_LENGTH_MAX = 200;
/** The visible prefix keys are revoked by: `sk_<mode>_` and 8 characters of the secret. */
const API_KEY_PREFIX_PATTERN = /^sk_(test|live)_[0-9A-Za-z]{8}$/;
const HOURS_PER_DAY = 24;

export class CreateApiKeyDto {
  @Matches(IDENTIFIER_PATTERN, { message: 'merchantId must be an identifier' })
  @NoCardNumber()
  merchantId!: string;

  @IsOptional()
  @IsIn(API_KEY_MODES)
  mode?: ApiKeyMode;

  @IsOptional()
  @IsString()
  @MaxLength(API_KEY_NAME_LENGTH_MAX)
  @NoCardNumber()
  name?: string;

  /** The key stops working this many days after it is made; never when not given. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(API_KEY_DAYS_MAX)
  expiresInDays?: number;
}

export class ListApiKeysQueryDto {
  @Matches(IDENTIFIER_PATTERN, { message: 'merchantId must be an identifier' })
  @NoCardNumber()
  merchantId!: string;
}

export class ApiKeyPrefixParams {
  @Matches(API_KEY_PREFIX_PATTERN, { message: 'prefix must be sk_test_ or sk_live_ and 8 characters' })
  prefix!: string;
}

export class RevokeApiKeyQueryDto {
  /** The key keeps working this many hours (a rotation's overlap); revoked at once when not given. */
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(API_KEY_DAYS_MAX * HOURS_PER_DAY)
  inHours?: number;
}

/** A key as operators see it: never the key itself nor its hash. */
export interface ApiKeyView {
  readonly prefix: string;
  readonly merchantId: string;
  readonly mode: ApiKeyMode;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export const apiKeyViewOf = (record: ApiKeyRecord): ApiKeyView => ({
  prefix: record.prefix,
  merchantId: record.merchantId,
  mode: record.mode,
  name: record.name,
  createdAt: record.createdAt.toISOString(),
  expiresAt: record.expiresAt?.toISOString() ?? null,
  revokedAt: record.revokedAt?.toISOString() ?? null,
});
