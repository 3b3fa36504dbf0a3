import {
  addClassMembers,
  addNamedImport,
  addSwitchCase,
  addToArrayConstant,
  addToObjectConstant,
  addWhereKeysAre,
  inTurn,
} from './source-edits';
import { insertLinesAfterLast, insertLinesBefore } from './text-edits';

describe('source edits', () => {
  it('add an element to a constant array, before a named one, once', () => {
    const source = "export const PROCESSES = ['ledger', 'payment'] as const;\n";
    const edit = addToArrayConstant('PROCESSES', "'risk'", { before: "'payment'" });
    const edited = edit(source);
    expect(edited).toBe("export const PROCESSES = ['ledger', 'risk', 'payment'] as const;\n");
    expect(edit(edited ?? '')).toBe(edited);
  });

  it('find no place in a file without the constant, and say so with undefined', () => {
    expect(addToArrayConstant('PROCESSES', "'risk'")('export const OTHER = [];\n')).toBeUndefined();
    expect(addToObjectConstant('PORTS', 'risk', '3007')('const PORTS = [3001];\n')).toBeUndefined();
  });

  it('add a key to every object keyed by all PSPs, after those keys, so a spread after them still wins', () => {
    const source = [
      'const ports = { main: 1, acme: 2, nova: 3 };',
      'const env = { ACME: a, NOVA: b, ...overrides };',
      'const other = { acme: 4 };',
    ].join('\n');
    const edited = inTurn(
      addWhereKeysAre(['acme', 'nova'], 'quickpay', '5'),
      addWhereKeysAre(['ACME', 'NOVA'], 'QUICKPAY', 'c'),
    )(source);
    expect(edited).toBe(
      [
        'const ports = { main: 1, acme: 2, nova: 3, quickpay: 5 };',
        'const env = { ACME: a, NOVA: b, QUICKPAY: c, ...overrides };',
        'const other = { acme: 4 };',
      ].join('\n'),
    );
    expect(addWhereKeysAre(['acme', 'swiftpay'], 'quickpay', '5')(source)).toBeUndefined();
  });

  it('add a case before the default of a switch', () => {
    const source = [
      'function connectorOf(id: string) {',
      '  switch (id) {',
      "    case 'acme':",
      '      return 1;',
      '    default:',
      '      return 0;',
      '  }',
      '}',
    ].join('\n');
    const edited = addSwitchCase('connectorOf', "'quickpay'", "case 'quickpay':\n      return 2;")(source);
    expect(edited).toMatch(/case 'quickpay':\n\s+return 2;\n\s+default:/);
  });

  it('add class members after the last one matching, and a named import to an existing import', () => {
    const source = [
      "import { ServiceEnvironment } from '@keel/platform';",
      'class Environment extends ServiceEnvironment {',
      "  PSP_ACME_SECRET = 'a';",
      '  TIMEOUT_MS = 1;',
      '}',
    ].join('\n');
    const edited = inTurn(
      addNamedImport('@keel/platform', 'Sensitive'),
      addClassMembers(
        'Environment',
        [{ name: 'PSP_NEW_SECRET', text: "  PSP_NEW_SECRET = 'b';" }],
        /_SECRET$/,
      ),
    )(source);
    expect(edited).toBe(
      [
        "import { ServiceEnvironment, Sensitive } from '@keel/platform';",
        'class Environment extends ServiceEnvironment {',
        "  PSP_ACME_SECRET = 'a';",
        '',
        "  PSP_NEW_SECRET = 'b';",
        '  TIMEOUT_MS = 1;',
        '}',
      ].join('\n'),
    );
  });
});

describe('text edits', () => {
  const table = ['| a | x |', '| b | y |', '', 'after'].join('\n');

  it('insert lines before the first or after the last matching line, once', () => {
    const before = insertLinesBefore(/^\| b/, ['| new | z |'], '| new |');
    expect(before(table)).toBe(['| a | x |', '| new | z |', '| b | y |', '', 'after'].join('\n'));
    expect(before(before(table) ?? '')).toBe(before(table));
    expect(insertLinesAfterLast(/^\|/, ['| c | w |'], '| c |')(table)).toBe(
      ['| a | x |', '| b | y |', '| c | w |', '', 'after'].join('\n'),
    );
    expect(insertLinesBefore(/^## Admin/, ['## Risk'], '## Risk')(table)).toBeUndefined();
  });
});
