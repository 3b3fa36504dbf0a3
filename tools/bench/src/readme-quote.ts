const START_MARKER = '<!-- bench:latest -->';
const END_MARKER = '<!-- /bench:latest -->';

/**
 * The README with the text between the bench markers replaced by `quote`, or undefined when the
 * markers are missing or out of order (then the README is left alone).
 */
export function withQuotedFigures(readme: string, quote: string): string | undefined {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) return undefined;
  // Blank lines around the quote, as Prettier formats markdown between HTML comments.
  return `${readme.slice(0, start + START_MARKER.length)}\n\n${quote.trim()}\n\n${readme.slice(end)}`;
}
