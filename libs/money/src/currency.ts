import { MoneyError, MoneyErrorCode, quoteInput } from './money.error';

/** One ISO 4217 currency: `exponent` is the number of minor-unit digits (USD 2, KRW 0, KWD 3). */
export interface Currency {
  readonly code: CurrencyCode;
  readonly numericCode: string;
  readonly exponent: number;
}

interface CurrencyEntry {
  readonly numericCode: string;
  readonly exponent: number;
}

// ISO 4217 List One: every current currency a payment can be made in. Fund codes (BOV, CHE, CHW,
// CLF, COU, MXV, USN, UYI, UYW), precious metals, SDR-style units (XDR, XSU, XUA, XB*), and the
// XTS/XXX codes are left out because no payment is denominated in them. Withdrawn codes are left
// out too: ANG (replaced by XCG in 2025) and BGN (Bulgaria adopted the euro on 2026-01-01).
// Exponents follow ISO even where card schemes or CLDR differ (HUF, TWD, IDR, MGA), because the
// ledger and PSP settlement files count minor units as ISO defines them.
const CURRENCY_TABLE = {
  AED: { numericCode: '784', exponent: 2 },
  AFN: { numericCode: '971', exponent: 2 },
  ALL: { numericCode: '008', exponent: 2 },
  AMD: { numericCode: '051', exponent: 2 },
  AOA: { numericCode: '973', exponent: 2 },
  ARS: { numericCode: '032', exponent: 2 },
  AUD: { numericCode: '036', exponent: 2 },
  AWG: { numericCode: '533', exponent: 2 },
  AZN: { numericCode: '944', exponent: 2 },
  BAM: { numericCode: '977', exponent: 2 },
  BBD: { numericCode: '052', exponent: 2 },
  BDT: { numericCode: '050', exponent: 2 },
  BHD: { numericCode: '048', exponent: 3 },
  BIF: { numericCode: '108', exponent: 0 },
  BMD: { numericCode: '060', exponent: 2 },
  BND: { numericCode: '096', exponent: 2 },
  BOB: { numericCode: '068', exponent: 2 },
  BRL: { numericCode: '986', exponent: 2 },
  BSD: { numericCode: '044', exponent: 2 },
  BTN: { numericCode: '064', exponent: 2 },
  BWP: { numericCode: '072', exponent: 2 },
  BYN: { numericCode: '933', exponent: 2 },
  BZD: { numericCode: '084', exponent: 2 },
  CAD: { numericCode: '124', exponent: 2 },
  CDF: { numericCode: '976', exponent: 2 },
  CHF: { numericCode: '756', exponent: 2 },
  CLP: { numericCode: '152', exponent: 0 },
  CNY: { numericCode: '156', exponent: 2 },
  COP: { numericCode: '170', exponent: 2 },
  CRC: { numericCode: '188', exponent: 2 },
  CUC: { numericCode: '931', exponent: 2 },
  CUP: { numericCode: '192', exponent: 2 },
  CVE: { numericCode: '132', exponent: 2 },
  CZK: { numericCode: '203', exponent: 2 },
  DJF: { numericCode: '262', exponent: 0 },
  DKK: { numericCode: '208', exponent: 2 },
  DOP: { numericCode: '214', exponent: 2 },
  DZD: { numericCode: '012', exponent: 2 },
  EGP: { numericCode: '818', exponent: 2 },
  ERN: { numericCode: '232', exponent: 2 },
  ETB: { numericCode: '230', exponent: 2 },
  EUR: { numericCode: '978', exponent: 2 },
  FJD: { numericCode: '242', exponent: 2 },
  FKP: { numericCode: '238', exponent: 2 },
  GBP: { numericCode: '826', exponent: 2 },
  GEL: { numericCode: '981', exponent: 2 },
  GHS: { numericCode: '936', exponent: 2 },
  GIP: { numericCode: '292', exponent: 2 },
  GMD: { numericCode: '270', exponent: 2 },
  GNF: { numericCode: '324', exponent: 0 },
  GTQ: { numericCode: '320', exponent: 2 },
  GYD: { numericCode: '328', exponent: 2 },
  HKD: { numericCode: '344', exponent: 2 },
  HNL: { numericCode: '340', exponent: 2 },
  HTG: { numericCode: '332', exponent: 2 },
  HUF: { numericCode: '348', exponent: 2 },
  IDR: { numericCode: '360', exponent: 2 },
  ILS: { numericCode: '376', exponent: 2 },
  INR: { numericCode: '356', exponent: 2 },
  IQD: { numericCode: '368', exponent: 3 },
  IRR: { numericCode: '364', exponent: 2 },
  ISK: { numericCode: '352', exponent: 0 },
  JMD: { numericCode: '388', exponent: 2 },
  JOD: { numericCode: '400', exponent: 3 },
  JPY: { numericCode: '392', exponent: 0 },
  KES: { numericCode: '404', exponent: 2 },
  KGS: { numericCode: '417', exponent: 2 },
  KHR: { numericCode: '116', exponent: 2 },
  KMF: { numericCode: '174', exponent: 0 },
  KPW: { numericCode: '408', exponent: 2 },
  KRW: { numericCode: '410', exponent: 0 },
  KWD: { numericCode: '414', exponent: 3 },
  KYD: { numericCode: '136', exponent: 2 },
  KZT: { numericCode: '398', exponent: 2 },
  LAK: { numericCode: '418', exponent: 2 },
  LBP: { numericCode: '422', exponent: 2 },
  LKR: { numericCode: '144', exponent: 2 },
  LRD: { numericCode: '430', exponent: 2 },
  LSL: { numericCode: '426', exponent: 2 },
  LYD: { numericCode: '434', exponent: 3 },
  MAD: { numericCode: '504', exponent: 2 },
  MDL: { numericCode: '498', exponent: 2 },
  MGA: { numericCode: '969', exponent: 2 },
  MKD: { numericCode: '807', exponent: 2 },
  MMK: { numericCode: '104', exponent: 2 },
  MNT: { numericCode: '496', exponent: 2 },
  MOP: { numericCode: '446', exponent: 2 },
  MRU: { numericCode: '929', exponent: 2 },
  MUR: { numericCode: '480', exponent: 2 },
  MVR: { numericCode: '462', exponent: 2 },
  MWK: { numericCode: '454', exponent: 2 },
  MXN: { numericCode: '484', exponent: 2 },
  MYR: { numericCode: '458', exponent: 2 },
  MZN: { numericCode: '943', exponent: 2 },
  NAD: { numericCode: '516', exponent: 2 },
  NGN: { numericCode: '566', exponent: 2 },
  NIO: { numericCode: '558', exponent: 2 },
  NOK: { numericCode: '578', exponent: 2 },
  NPR: { numericCode: '524', exponent: 2 },
  NZD: { numericCode: '554', exponent: 2 },
  OMR: { numericCode: '512', exponent: 3 },
  PAB: { numericCode: '590', exponent: 2 },
  PEN: { numericCode: '604', exponent: 2 },
  PGK: { numericCode: '598', exponent: 2 },
  PHP: { numericCode: '608', exponent: 2 },
  PKR: { numericCode: '586', exponent: 2 },
  PLN: { numericCode: '985', exponent: 2 },
  PYG: { numericCode: '600', exponent: 0 },
  QAR: { numericCode: '634', exponent: 2 },
  RON: { numericCode: '946', exponent: 2 },
  RSD: { numericCode: '941', exponent: 2 },
  RUB: { numericCode: '643', exponent: 2 },
  RWF: { numericCode: '646', exponent: 0 },
  SAR: { numericCode: '682', exponent: 2 },
  SBD: { numericCode: '090', exponent: 2 },
  SCR: { numericCode: '690', exponent: 2 },
  SDG: { numericCode: '938', exponent: 2 },
  SEK: { numericCode: '752', exponent: 2 },
  SGD: { numericCode: '702', exponent: 2 },
  SHP: { numericCode: '654', exponent: 2 },
  SLE: { numericCode: '925', exponent: 2 },
  SOS: { numericCode: '706', exponent: 2 },
  SRD: { numericCode: '968', exponent: 2 },
  SSP: { numericCode: '728', exponent: 2 },
  STN: { numericCode: '930', exponent: 2 },
  SVC: { numericCode: '222', exponent: 2 },
  SYP: { numericCode: '760', exponent: 2 },
  SZL: { numericCode: '748', exponent: 2 },
  THB: { numericCode: '764', exponent: 2 },
  TJS: { numericCode: '972', exponent: 2 },
  TMT: { numericCode: '934', exponent: 2 },
  TND: { numericCode: '788', exponent: 3 },
  TOP: { numericCode: '776', exponent: 2 },
  TRY: { numericCode: '949', exponent: 2 },
  TTD: { numericCode: '780', exponent: 2 },
  TWD: { numericCode: '901', exponent: 2 },
  TZS: { numericCode: '834', exponent: 2 },
  UAH: { numericCode: '980', exponent: 2 },
  UGX: { numericCode: '800', exponent: 0 },
  USD: { numericCode: '840', exponent: 2 },
  UYU: { numericCode: '858', exponent: 2 },
  UZS: { numericCode: '860', exponent: 2 },
  VED: { numericCode: '926', exponent: 2 },
  VES: { numericCode: '928', exponent: 2 },
  VND: { numericCode: '704', exponent: 0 },
  VUV: { numericCode: '548', exponent: 0 },
  WST: { numericCode: '882', exponent: 2 },
  XAF: { numericCode: '950', exponent: 0 },
  XCD: { numericCode: '951', exponent: 2 },
  XCG: { numericCode: '532', exponent: 2 },
  XOF: { numericCode: '952', exponent: 0 },
  XPF: { numericCode: '953', exponent: 0 },
  YER: { numericCode: '886', exponent: 2 },
  ZAR: { numericCode: '710', exponent: 2 },
  ZMW: { numericCode: '967', exponent: 2 },
  ZWG: { numericCode: '924', exponent: 2 },
} as const satisfies Record<string, CurrencyEntry>;

/** An ISO 4217 alphabetic code this library knows, e.g. `'USD'`. Upper case only. */
export type CurrencyCode = keyof typeof CURRENCY_TABLE;

const CURRENCIES_BY_CODE: ReadonlyMap<string, Currency> = new Map(
  Object.entries(CURRENCY_TABLE).map(([code, entry]) => [
    code,
    Object.freeze({ code: code as CurrencyCode, numericCode: entry.numericCode, exponent: entry.exponent }),
  ]),
);

/** Every known code in alphabetical order, e.g. for `@IsIn(CURRENCY_CODES)` in request validators. */
export const CURRENCY_CODES: readonly CurrencyCode[] = Object.freeze(
  Object.keys(CURRENCY_TABLE) as CurrencyCode[],
);

export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && CURRENCIES_BY_CODE.has(value);
}

/** Looks a currency up by its alphabetic code; throws `UNKNOWN_CURRENCY` for anything else. */
export function currencyOf(code: string): Currency {
  const currency = typeof code === 'string' ? CURRENCIES_BY_CODE.get(code) : undefined;
  if (currency === undefined) {
    throw new MoneyError(
      MoneyErrorCode.UNKNOWN_CURRENCY,
      `Unknown currency ${quoteInput(code)}: expected an upper-case ISO 4217 code such as "USD"`,
    );
  }
  return currency;
}
