import type { PaymentMethod, PspId } from '../psp';
import {
  ACME_CSV_DIALECT,
  NOVA_CSV_DIALECT,
  SWIFTPAY_FIXED_WIDTH_DIALECT,
  type SettlementDialect,
} from './settlement-dialects';

/** Everything that sets one PSP's settlement files apart (docs/settlement-files.md). */
export interface SettlementProfile {
  /** IANA zone of its settlement day, in which its dialect writes local times. */
  readonly timeZone: string;
  readonly dialect: SettlementDialect;
  /** The method of the charge an `unknown_charge` fault makes: one the PSP takes. */
  readonly unknownChargeMethod: PaymentMethod;
  /** Its API echoes a merchant's reference on the charge (acme's `reference`), an unknown charge's too. */
  readonly echoesReference: boolean;
}

/**
 * Each PSP's settlement profile, the one place a PSP's settlement facts are written. The connector
 * generator gives a new PSP acme's CSV dialect in UTC until it is given its real one.
 */
export const SETTLEMENT_PROFILES: Readonly<Record<PspId, SettlementProfile>> = {
  acme: { timeZone: 'UTC', dialect: ACME_CSV_DIALECT, unknownChargeMethod: 'card', echoesReference: true },
  nova: {
    timeZone: 'Europe/Berlin',
    dialect: NOVA_CSV_DIALECT,
    unknownChargeMethod: 'card',
    echoesReference: false,
  },
  swiftpay: {
    timeZone: 'Asia/Seoul',
    dialect: SWIFTPAY_FIXED_WIDTH_DIALECT,
    unknownChargeMethod: 'easy_pay',
    echoesReference: false,
  },
};
