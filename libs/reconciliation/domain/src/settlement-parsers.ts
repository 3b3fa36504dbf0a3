import { AcmeSettlementParser } from './dialects/acme.parser';
import { NovaSettlementParser } from './dialects/nova.parser';
import { SwiftpaySettlementParser } from './dialects/swiftpay.parser';
import {
  DEFAULT_SETTLEMENT_PARSER_LIMITS,
  SettlementParser,
  SettlementParserLimits,
} from './settlement-parser';
import type { SettlementPsp } from './settlement-psp';

/** One parser per PSP dialect; a new dialect is one more entry (and one more `SettlementPsp`). */
export function settlementParsers(
  limits: SettlementParserLimits = DEFAULT_SETTLEMENT_PARSER_LIMITS,
): Readonly<Record<SettlementPsp, SettlementParser>> {
  return {
    acme: new AcmeSettlementParser(limits),
    nova: new NovaSettlementParser(limits),
    swiftpay: new SwiftpaySettlementParser(limits),
  };
}
