import { formatJson, JSON_PRINT_WIDTH } from './json-format.util';

describe('formatJson', () => {
  it('expands objects and keeps short arrays of primitives on one line', () => {
    expect(formatJson({ a: 1, list: ['x', 'y'], nested: { empty: {}, none: [] } })).toBe(
      '{\n  "a": 1,\n  "list": ["x", "y"],\n  "nested": {\n    "empty": {},\n    "none": []\n  }\n}\n',
    );
  });

  it('puts each item on its own line when the array does not fit the print width', () => {
    const items = Array.from({ length: 12 }, (_unused, index) => `item-number-${index}`);
    const lines = formatJson({ items }).trimEnd().split('\n');

    expect(lines).toHaveLength(items.length + 4);
    expect(lines.every((line) => line.length <= JSON_PRINT_WIDTH)).toBe(true);
  });

  it('counts the trailing comma when deciding whether an array fits', () => {
    const fitting = 'x'.repeat(JSON_PRINT_WIDTH - '  "k": [""]'.length);
    expect(formatJson({ k: [fitting] }).split('\n')[1]).toBe(`  "k": ["${fitting}"]`);
    expect(formatJson({ k: [fitting], z: 1 }).split('\n')[1]).toBe('  "k": [');
  });

  it('expands arrays of objects and round-trips through JSON.parse', () => {
    const value = { refs: [{ $ref: '#/a' }, { $ref: '#/b' }], text: 'quote " and \\ backslash' };
    const text = formatJson(value);

    expect(text).toContain('"refs": [\n    {\n      "$ref": "#/a"\n    },');
    expect(JSON.parse(text)).toEqual(value);
  });
});
