import { FileDay } from './parsing/file-day';
import type { SettlementFileSummary } from './settlement-file-summary';
import type { SettlementPsp } from './settlement-psp';
import type { SettlementRow } from './settlement-row';

type SettlementChunk = Buffer | Uint8Array | string;

/** A settlement file's bytes as they arrive: a `Readable`, an HTTP body, or chunks already in memory. */
export type SettlementSource = AsyncIterable<SettlementChunk> | Iterable<SettlementChunk>;

export interface SettlementParserLimits {
  /** The longest line (CSV: record) a file may hold; one line never grows memory past it. */
  readonly maxLineChars: number;
}

export const DEFAULT_SETTLEMENT_PARSER_LIMITS: SettlementParserLimits = { maxLineChars: 4_096 };

/** One PSP's settlement dialect (docs/settlement-files.md). */
export interface SettlementParser {
  readonly psp: SettlementPsp;
  /** The IANA zone the PSP's days and local times are in. */
  readonly timeZone: string;
  /**
   * Reads `source` as this PSP's file for `settlementDate` (`YYYY-MM-DD`, the PSP's day); rows
   * stream out, a chunk at a time, as they are read, a malformed line throws a `SettlementFileError` from the loop.
   */
  parse(source: SettlementSource, settlementDate: string): SettlementFileReading;
}

/**
 * One file being read: iterate it (once) for its rows, or its `chunks()` of rows, then take its
 * `summary`. A file is only valid once iterated to the end: the trailer, when the dialect has one,
 * comes last.
 */
export class SettlementFileReading implements AsyncIterable<SettlementRow> {
  #summary: SettlementFileSummary | undefined;
  #iterated = false;

  constructor(private readonly read: () => AsyncGenerator<readonly SettlementRow[], SettlementFileSummary>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<SettlementRow> {
    for await (const chunk of this.chunks()) yield* chunk;
  }

  /**
   * The rows a chunk at a time, as the parser has them (at most one source chunk's lines): one
   * `await` per chunk rather than per row, for a consumer that handles rows in arrays.
   */
  async *chunks(): AsyncGenerator<readonly SettlementRow[]> {
    if (this.#iterated) throw new Error('a settlement file can be read once');
    this.#iterated = true;
    this.#summary = yield* this.read();
  }

  /** The whole file's totals; throws until every row has been read. */
  get summary(): SettlementFileSummary {
    if (this.#summary === undefined) throw new Error('the summary is known once every row has been read');
    return this.#summary;
  }
}

/**
 * What every dialect's parser shares: its PSP and zone, its limits, and a reading that starts
 * only once iterated. A dialect writes `read`.
 */
export abstract class DialectParser implements SettlementParser {
  abstract readonly psp: SettlementPsp;
  abstract readonly timeZone: string;

  constructor(protected readonly limits: SettlementParserLimits = DEFAULT_SETTLEMENT_PARSER_LIMITS) {}

  parse(source: SettlementSource, settlementDate: string): SettlementFileReading {
    const fileDay = new FileDay(settlementDate);
    return new SettlementFileReading(() => this.read(source, fileDay));
  }

  /** The file's rows a chunk at a time (never an empty one), returning its summary. */
  protected abstract read(
    source: SettlementSource,
    fileDay: FileDay,
  ): AsyncGenerator<readonly SettlementRow[], SettlementFileSummary>;
}
