import type { SourceEdit } from './source-edits';

/**
 * Line edits for files that are not TypeScript (Markdown tables, YAML). `presentIf` is text that
 * only the change itself contains, so that running a generator twice changes nothing.
 */
export function insertLinesBefore(pattern: RegExp, lines: readonly string[], presentIf: string): SourceEdit {
  return (source) => {
    if (source.includes(presentIf)) return source;
    const all = source.split('\n');
    const index = all.findIndex((line) => pattern.test(line));
    if (index < 0) return undefined;
    return [...all.slice(0, index), ...lines, ...all.slice(index)].join('\n');
  };
}

export function insertLinesAfterLast(
  pattern: RegExp,
  lines: readonly string[],
  presentIf: string,
): SourceEdit {
  return (source) => {
    if (source.includes(presentIf)) return source;
    const all = source.split('\n');
    const index = all.reduce((found, line, at) => (pattern.test(line) ? at : found), -1);
    if (index < 0) return undefined;
    return [...all.slice(0, index + 1), ...lines, ...all.slice(index + 1)].join('\n');
  };
}
