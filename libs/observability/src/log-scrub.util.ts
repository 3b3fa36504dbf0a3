import { isCardNumber, mayContainCardNumber } from '@keel/contracts';
import { maskPan, maskPans } from './pan-mask.util';

export interface LogLineScrubberOptions {
  /** Keys whose values are replaced at any depth, compared case-insensitively. */
  readonly secretKeys: readonly string[];
  readonly censor: string;
}

// A serialized line splits into strings, structural characters and the scalars between them.
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^"{}[\]:,]+/g;
const JSON_ESCAPE = /(\\(?:u[0-9a-fA-F]{4}|.))/;

/**
 * Makes a serialized JSON log line safe to store: values under secret keys are censored at any depth
 * (pino's own redaction is kept to fixed paths, because its wildcard paths cost tens of microseconds
 * per line), and card numbers anywhere are masked. The result stays valid JSON.
 */
export function createLogLineScrubber(options: LogLineScrubberOptions): (line: string) => string {
  const secretKeys = new Set(options.secretKeys.map((key) => key.toLowerCase()));
  const escapedKeys = options.secretKeys.map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const mayContainSecretKey = new RegExp(`"(?:${escapedKeys.join('|')})":`, 'i');
  const censor = JSON.stringify(options.censor);
  return (line) => {
    if (!mayContainCardNumber(line) && !mayContainSecretKey.test(line)) return line;
    const tokens = line.match(JSON_TOKEN) ?? [];
    // Not JSON after all (an unterminated string): masking the text is the best that can be done.
    if (tokens.join('').length !== line.length) return maskPans(line);
    return scrubTokens(tokens, secretKeys, censor);
  };
}

function scrubTokens(tokens: readonly string[], secretKeys: ReadonlySet<string>, censor: string): string {
  let scrubbed = '';
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index];
    if (tokens[index + 1] === ':' && token.startsWith('"') && secretKeys.has(keyName(token))) {
      scrubbed += `${token}:${censor}`;
      index = indexAfterValue(tokens, index + 2);
    } else {
      scrubbed += token.startsWith('"') ? maskPansInJsonString(token) : maskPanNumber(token);
      index += 1;
    }
  }
  return scrubbed;
}

function keyName(literal: string): string {
  const name = literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1);
  return name.toLowerCase();
}

// Skips one JSON value, which is a single token unless it is an object or an array.
function indexAfterValue(tokens: readonly string[], start: number): number {
  let depth = 0;
  let index = start;
  do {
    const token = tokens[index];
    if (token === '{' || token === '[') depth += 1;
    else if (token === '}' || token === ']') depth -= 1;
    index += 1;
  } while (depth > 0 && index < tokens.length);
  return index;
}

function maskPansInJsonString(literal: string): string {
  // Escape sequences such as \u0010 stay whole so that their hex digits never join a digit run.
  return literal
    .split(JSON_ESCAPE)
    .map((part, index) => (index % 2 === 1 ? part : maskPans(part)))
    .join('');
}

// A PAN serialized as a bare number becomes a masked string, which keeps the line valid JSON.
function maskPanNumber(scalar: string): string {
  return isCardNumber(scalar) ? `"${maskPan(scalar)}"` : scalar;
}
