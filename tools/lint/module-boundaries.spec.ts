import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

interface EslintFileResult {
  messages: { ruleId: string | null; message: string }[];
}

/**
 * Lints a committed fixture with the repository's real ESLint configuration, as `npm run lint`
 * does (fixtures are ignored there, hence --no-ignore here). ESLint runs in its own process
 * because its configuration is an ES module, which jest's module system does not load.
 */
async function boundaryErrors(fixture: string): Promise<string[]> {
  const eslint = join(root, 'node_modules', '.bin', 'eslint');
  const output = await run(eslint, ['--no-ignore', '--format', 'json', fixture], { cwd: root }).then(
    (result) => result.stdout,
    (failure: { stdout?: string }) => failure.stdout ?? '',
  );
  const [result] = JSON.parse(output) as EslintFileResult[];
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === '@nx/enforce-module-boundaries')
    .map((message) => message.message);
}

describe('Nx module boundaries', () => {
  jest.setTimeout(60_000);

  // The rule reads Nx's cached project graph; computing it first makes the test see every project.
  beforeAll(() => run(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], { cwd: root }));

  it('rejects a service importing another service’s code', async () => {
    const errors = await boundaryErrors('apps/wallet/src/__fixtures__/cross-service-import.ts');
    expect(errors).toEqual([
      expect.stringContaining('Projects cannot be imported by a relative or absolute path'),
    ]);
  });

  it('rejects a util library depending on a data-access library', async () => {
    const errors = await boundaryErrors('libs/money/src/__fixtures__/util-imports-data-access.ts');
    expect(errors).toEqual([
      expect.stringContaining('A project tagged with "type:util" can only depend on libs tagged with'),
    ]);
  });
});
