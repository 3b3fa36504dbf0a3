import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderCycles, moduleSpecifiers, type SourceFile } from './folder-cycles';
import { repositoryRoot, sourceFiles } from './source-files';

describe('no import cycle between the folders of an app', () => {
  const files: SourceFile[] = sourceFiles()
    .filter((path) => path.startsWith('apps/'))
    .map((path) => ({ path, text: readFileSync(join(repositoryRoot, path), 'utf8') }));
  const apps = [...new Set(files.map((file) => file.path.split('/')[1] ?? ''))].sort();

  it('looks at every service', () => {
    expect(apps).toEqual(expect.arrayContaining(['executor', 'ledger', 'payment', 'psp-sim', 'wallet']));
  });

  it.each(apps)('apps/%s/src', (app) => {
    expect(folderCycles(`apps/${app}/src`, files)).toEqual([]);
  });
});

describe('the guard names the cycles it finds', () => {
  const src = 'apps/shop/src';
  const file = (path: string, text: string): SourceFile => ({ path: `${src}/${path}`, text });

  it('names a cycle of two folders with the import behind each step', () => {
    const files = [
      file('http/orders.controller.ts', "import { OrderService } from '../orders/order.service';"),
      file('orders/order.service.ts', "import type { OrderDto } from '../http/order.dto';"),
      file('http/order.dto.ts', 'export class OrderDto {}'),
    ];
    expect(folderCycles(src, files)).toEqual([
      `${src}: http → orders → http (http/orders.controller.ts → orders/order.service; ` +
        'orders/order.service.ts → http/order.dto)',
    ]);
  });

  it('follows a loop through three folders and a file beside them', () => {
    const files = [
      file('a/a.ts', "export { b } from '../b/b';"),
      file('b/b.ts', "import { settings } from '../shop.settings';"),
      file('shop.settings.ts', "import type { A } from './a/a';"),
    ];
    expect(folderCycles(src, files)).toEqual([
      `${src}: a → b → shop.settings.ts → a (a/a.ts → b/b; b/b.ts → shop.settings; shop.settings.ts → a/a)`,
    ]);
  });

  it('names the shortest loop of a tangle and the folders tangled with it', () => {
    const files = [
      file('a/a.ts', "import '../b/b';"),
      file('b/b.ts', "import '../a/a'; import '../c/c';"),
      file('c/c.ts', "import '../a/a';"),
    ];
    expect(folderCycles(src, files)).toEqual([
      `${src}: a → b → a (a/a.ts → b/b; b/b.ts → a/a); tangled with it: c`,
    ]);
  });

  it('finds nothing in imports one way, within a folder, out of src, or in specs and fixtures', () => {
    const files = [
      file('shop.module.ts', "import { OrderService } from './orders/order.service';"),
      file('orders/order.service.ts', "import { rules } from './order.rules'; import { x } from '@keel/x';"),
      file('orders/order.rules.ts', "import { harness } from '../../test/harness';"),
      file('orders/order.service.spec.ts', "import { ShopModule } from '../shop.module';"),
      file('__fixtures__/fake.ts', "import '../shop.module';"),
    ];
    expect(folderCycles(src, files)).toEqual([]);
  });

  it('reads every kind of import', () => {
    const text = [
      "import a from './a';",
      "import type { B } from './b';",
      "export * from './c';",
      "export { d } from './d';",
      "const e = await import('./e');",
      "import f = require('./f');",
    ].join('\n');
    expect(moduleSpecifiers('x.ts', text)).toEqual(['./a', './b', './c', './d', './e', './f']);
  });
});
