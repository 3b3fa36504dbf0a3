import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repositoryRoot } from './source-files';

type Paths = Record<string, string[]>;

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(repositoryRoot, path), 'utf8')) as T;

/** The tags of the Nx project that holds `path` (the nearest project.json above it). */
function projectTagsOf(path: string): string[] {
  for (let folder = dirname(path); folder !== '.' && folder !== '/'; folder = dirname(folder)) {
    const projectFile = join(folder, 'project.json');
    if (existsSync(join(repositoryRoot, projectFile)))
      return readJson<{ tags?: string[] }>(projectFile).tags ?? [];
  }
  return [];
}

/**
 * `npm run build` (the container image) compiles with swc, which resolves `@keel/*` imports from
 * .swcrc's paths, not tsconfig's: a library missing there builds fine and fails when a service
 * starts from the image.
 */
describe('.swcrc resolves every library a service can import', () => {
  const typescriptPaths = readJson<{ compilerOptions: { paths: Paths } }>('tsconfig.base.json')
    .compilerOptions.paths;
  const swcPaths = readJson<{ jsc: { paths: Paths } }>('.swcrc').jsc.paths;
  const shipped = Object.entries(typescriptPaths).filter(
    ([alias, [target = '']]) => !alias.endsWith('/testing') && !projectTagsOf(target).includes('scope:tools'),
  );

  it('finds the service libraries', () => {
    expect(shipped.map(([alias]) => alias)).toEqual(
      expect.arrayContaining(['@keel/platform', '@keel/api-keys']),
    );
  });

  it.each(shipped)('%s is in .swcrc with the same target', (alias, targets) => {
    expect(swcPaths[alias]).toEqual(targets);
  });
});
