import { settlementParsers, type SettlementPsp } from '@keel/reconciliation-domain';

/** The zone each PSP's days are in, as its parser reads them. */
export const SETTLEMENT_TIME_ZONES: Readonly<Record<SettlementPsp, string>> = Object.fromEntries(
  Object.entries(settlementParsers()).map(([psp, parser]) => [psp, parser.timeZone]),
) as Record<SettlementPsp, string>;
