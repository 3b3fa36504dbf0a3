/** The PSPs whose settlement dialects Keel reads (docs/settlement-files.md). */
export const SETTLEMENT_PSPS = ['acme', 'nova', 'swiftpay'] as const;
export type SettlementPsp = (typeof SETTLEMENT_PSPS)[number];

export function isSettlementPsp(value: unknown): value is SettlementPsp {
  return typeof value === 'string' && (SETTLEMENT_PSPS as readonly string[]).includes(value);
}
