import { execFile } from 'node:child_process';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

const fixtures = {
  crossService: 'apps/wallet/src/__fixtures__/cross-service-import.ts',
  utilOnDataAccess: 'libs/money/src/__fixtures__/util-imports-data-access.ts',
  serviceOnTooling: 'apps/wallet/src/__fixtures__/production-imports-tooling.ts',
  sharedOnTooling: 'libs/money/src/__fixtures__/shared-imports-tooling.ts',
  testOnTooling: 'apps/wallet/src/__fixtures__/test-imports-tooling.spec.ts',
};

interface EslintFileResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

/**
 * Lints the committed fixtures with the repository's real ESLint configuration, as `npm run lint`
 * does (fixtures are ignored there, hence --no-ignore here), and returns each one's boundary
 * errors. ESLint runs once, in its own process, because its configuration is an ES module, which
 * jest's module system does not load.
 */
async function boundaryErrorsByFixture(): Promise<Map<string, string[]>> {
  const eslint = join(root, 'node_modules', '.bin', 'eslint');
  const args = ['--no-ignore', '--format', 'json', ...Object.values(fixtures)];
  const output = await run(eslint, args, { cwd: root }).then(
    (result) => result.stdout,
    (failure: { stdout?: string }) => failure.stdout ?? '',
  );
  const results = JSON.parse(output) as EslintFileResult[];
  return new Map(
    results.map((result) => [
      relative(root, result.filePath),
      result.messages
        .filter((message) => message.ruleId === '@nx/enforce-module-boundaries')
        .map((message) => message.message),
    ]),
  );
}

describe('Nx module boundaries', () => {
  jest.setTimeout(60_000);
  let errorsByFixture: Map<string, string[]>;

  beforeAll(async () => {
    // The rule reads Nx's cached project graph; computing it first makes the lint see every project.
    await run(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], { cwd: root });
    errorsByFixture = await boundaryErrorsByFixture();
  });

  it('lints every fixture', () => {
    expect([...errorsByFixture.keys()].sort()).toEqual(Object.values(fixtures).sort());
  });

  it('rejects a service importing another service’s code', () => {
    expect(errorsByFixture.get(fixtures.crossService)).toEqual([
      expect.stringContaining('Projects cannot be imported by a relative or absolute path'),
    ]);
  });

  it('rejects a util library depending on a data-access library', () => {
    expect(errorsByFixture.get(fixtures.utilOnDataAccess)).toEqual([
      expect.stringContaining('A project tagged with "type:util" can only depend on libs tagged with'),
    ]);
  });

  it('rejects a service importing a tooling library in production code', () => {
    expect(errorsByFixture.get(fixtures.serviceOnTooling)).toEqual([
      expect.stringContaining('A project tagged with "scope:wallet" can only depend on libs tagged with'),
    ]);
  });

  it('rejects a shared production library importing a tooling library', () => {
    expect(errorsByFixture.get(fixtures.sharedOnTooling)).toEqual([
      expect.stringContaining('A project tagged with "scope:shared" can only depend on libs tagged with'),
    ]);
  });

  it('lets a test import a tooling library', () => {
    expect(errorsByFixture.get(fixtures.testOnTooling)).toEqual([]);
  });
});
