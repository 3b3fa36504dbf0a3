import { IsIn, IsISO8601, Matches } from 'class-validator';
import { PSP_IDS, type CalendarDate, type PspId } from '@keel/psp-sim-domain';

/** POST /admin/settlement-files: one PSP's file for one of its days. */
export class WriteSettlementFileDto {
  @IsIn(PSP_IDS)
  psp!: PspId;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  date!: CalendarDate;
}
