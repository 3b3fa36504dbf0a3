import { StringDecoder } from 'node:string_decoder';
import { SettlementFileError, SettlementFileProblem } from '../settlement-file.error';
import type { SettlementSource } from '../settlement-parser';

/** One line of a text stream, without its line break, and its 1-based number. */
export interface TextLine {
  readonly lineNumber: number;
  readonly text: string;
}

/**
 * The lines of a UTF-8 stream, `\n` or `\r\n` ended, a source chunk's lines at a time (one `await`
 * per chunk, not per line); the empty rest after a final line break is no line. A line over
 * `maxLineChars` fails at once rather than grow in memory.
 */
export async function* textLineChunks(
  source: SettlementSource,
  maxLineChars: number,
): AsyncGenerator<readonly TextLine[]> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let lineNumber = 0;
  const lineOf = (text: string): TextLine => ({
    lineNumber: ++lineNumber,
    text: text.endsWith('\r') ? text.slice(0, -1) : text,
  });
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const lines: TextLine[] = [];
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      if (end - start > maxLineChars + 1) throw lineTooLong(lineNumber + 1, maxLineChars);
      lines.push(lineOf(pending.slice(start, end)));
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > maxLineChars + 1) throw lineTooLong(lineNumber + 1, maxLineChars);
    if (lines.length > 0) yield lines;
  }
  pending += decoder.end();
  if (pending !== '') yield [lineOf(pending)];
}

function lineTooLong(lineNumber: number, maxLineChars: number): SettlementFileError {
  return new SettlementFileError(
    SettlementFileProblem.LineTooLong,
    lineNumber,
    `the line is longer than ${maxLineChars} characters`,
  );
}
