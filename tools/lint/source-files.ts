import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repositoryRoot = join(__dirname, '..', '..');

/**
 * Every TypeScript file of the repository, committed or not yet (paths relative to its root, forward
 * slashes), without declarations, dependencies, build output and fixtures (broken on purpose).
 */
export function sourceFiles(): string[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.ts'],
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
    .filter((path) => existsSync(join(repositoryRoot, path))); // deleted in the working tree, not yet in git
}
