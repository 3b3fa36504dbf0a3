import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy } from 'class-validator';
import { ServiceEnvironment } from '@keel/platform';
import { DEFAULT_PSP_FEE_CONTRACTS, parsePspFeeContracts } from '@keel/reconciliation-domain';

/** PSP fee contracts as `parsePspFeeContracts` reads them: every PSP, whole basis points. */
function IsPspFeeContracts(): PropertyDecorator {
  return ValidateBy({
    name: 'isPspFeeContracts',
    validator: {
      validate: (value) => {
        if (typeof value !== 'string') return false;
        try {
          parsePspFeeContracts(value);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        'RECON_PSP_FEE_CONTRACTS must be a JSON object of every PSP to whole basis points, e.g. {"acme":250,"nova":290,"swiftpay":320}',
    },
  });
}

/**
 * The reconciliation service's environment: the variables every Keel service reads, and its own as
 * it gains them, each with validation rules, a safe default and limits; secrets marked @Sensitive().
 */
export class ReconciliationEnvironment extends ServiceEnvironment {
  // --- Keel's view (from events) ----------------------------------------------------------------

  /** Each PSP's contract fee in basis points, for the fee a charge's row should carry. */
  @IsPspFeeContracts()
  RECON_PSP_FEE_CONTRACTS = JSON.stringify(
    Object.fromEntries(Object.entries(DEFAULT_PSP_FEE_CONTRACTS).map(([psp, fee]) => [psp, fee.basisPoints])),
  );

  /** Keel's orders of a PSP's day fetched from their cursor at a time; memory holds one fetch. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RECON_VIEW_FETCH_ROWS = 1_000;
}
