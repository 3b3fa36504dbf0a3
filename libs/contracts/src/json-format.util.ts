/** The repository's Prettier print width; the JSON written here must pass `prettier --check`. */
export const JSON_PRINT_WIDTH = 110;
const INDENT = '  ';

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function renderArray(values: readonly unknown[], column: number, indent: string, tail: number): string {
  if (values.length === 0) {
    return '[]';
  }
  const inline = `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
  if (values.every(isPrimitive) && column + inline.length + tail <= JSON_PRINT_WIDTH) {
    return inline;
  }
  const inner = indent + INDENT;
  const lines = values.map(
    (value, index) => inner + render(value, inner.length, inner, index < values.length - 1 ? 1 : 0),
  );
  return `[\n${lines.join(',\n')}\n${indent}]`;
}

function renderObject(value: object, indent: string): string {
  const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
  if (entries.length === 0) {
    return '{}';
  }
  const inner = indent + INDENT;
  const lines = entries.map(([key, entry], index) => {
    const prefix = `${inner}${JSON.stringify(key)}: `;
    return prefix + render(entry, prefix.length, inner, index < entries.length - 1 ? 1 : 0);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

function render(value: unknown, column: number, indent: string, tail: number): string {
  if (Array.isArray(value)) {
    return renderArray(value, column, indent, tail);
  }
  if (value !== null && typeof value === 'object') {
    return renderObject(value, indent);
  }
  return JSON.stringify(value);
}

/**
 * JSON laid out the way Prettier lays it out: objects always expanded, arrays of primitives on one
 * line when they fit. Writing it this way keeps a regenerated file free of formatting churn.
 */
export function formatJson(value: unknown): string {
  return `${render(value, 0, '', 0)}\n`;
}
