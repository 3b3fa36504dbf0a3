import { IsString, MaxLength } from 'class-validator';
import { IsCode, TEXT_LENGTH_MAX } from '../payload-decorators.util';

/**
 * Codes shared by the services so that dashboards and detection rules agree. The list is not
 * closed: a code is a free snake_case string, so a new code is an additive change.
 */
export const FAILURE_CODES = {
  riskRejected: 'risk_rejected',
  declined: 'declined',
  pspUnavailable: 'psp_unavailable',
  pspError: 'psp_error',
  timedOut: 'timed_out',
  cancelled: 'cancelled',
} as const;

export class FailurePayload {
  @IsCode()
  code!: string;

  @IsString()
  @MaxLength(TEXT_LENGTH_MAX)
  message!: string;
}
