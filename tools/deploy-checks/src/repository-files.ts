import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './environment-classes';

/** The TypeScript files under `folder`, committed or not yet (relative paths, forward slashes). */
export function sourceFilesUnder(folder: string): string[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', `${folder}/*.ts`],
    {
      cwd: repositoryRoot,
      encoding: 'utf8',
    },
  );
  return listed
    .split('\n')
    .filter(
      (path) =>
        path !== '' && !path.endsWith('.d.ts') && !/(^|\/)(node_modules|dist|__fixtures__)\//.test(path),
    )
    .filter((path) => existsSync(join(repositoryRoot, path)));
}
