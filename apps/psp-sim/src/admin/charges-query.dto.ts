import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PSP_IDS, type PspId } from '@keel/psp-sim-domain';
import { KEY_MAX_LENGTH } from '../http/request-fields';

/** GET /admin/charges?psp=&idempotencyKey= */
export class ChargesQueryDto {
  @IsOptional()
  @IsIn(PSP_IDS)
  psp?: PspId;

  @IsOptional()
  @IsString()
  @Length(1, KEY_MAX_LENGTH)
  idempotencyKey?: string;
}
