/** What is wrong with a settlement file. */
export const SettlementFileProblem = {
  /** The header line is missing or not the dialect's. */
  BadHeader: 'bad_header',
  /** A record has more or fewer fields (or, fixed width, characters) than its kind. */
  WrongFieldCount: 'wrong_field_count',
  /** A field is empty, unknown (a record type, a kind) or holds a line break. */
  BadField: 'bad_field',
  BadDate: 'bad_date',
  BadAmount: 'bad_amount',
  UnknownCurrency: 'unknown_currency',
  /** A row's day is neither the file's day nor (a late row) the day before. */
  RowNotOfFileDay: 'row_not_of_file_day',
  /** The file's own day is not the one it was read for. */
  WrongSettlementDate: 'wrong_settlement_date',
  TrailerMismatch: 'trailer_mismatch',
  MissingTrailer: 'missing_trailer',
  RowAfterTrailer: 'row_after_trailer',
  /** Not CSV the parser can read (an unclosed quote, a stray quote). */
  MalformedCsv: 'malformed_csv',
  /** A line (a CSV record) longer than the configured limit. */
  LineTooLong: 'line_too_long',
} as const;
export type SettlementFileProblem = (typeof SettlementFileProblem)[keyof typeof SettlementFileProblem];

/** A settlement file that cannot be read as its dialect: the line and what is wrong with it. */
export class SettlementFileError extends Error {
  override readonly name = 'SettlementFileError';

  constructor(
    readonly problem: SettlementFileProblem,
    readonly lineNumber: number,
    readonly detail: string,
  ) {
    super(`line ${lineNumber}: ${detail}`);
  }
}
