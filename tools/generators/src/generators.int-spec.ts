import { join } from 'node:path';
import { TemporaryWorkspace, type CommandResult } from '../test/temporary-workspace';

// Two generations, then a workspace type-check, lint, format check and tests at once: about 40 s
// on two cores with a light load, several times that on a busy machine.
jest.setTimeout(300_000);

const COMMAND_TIMEOUT_MS = 240_000;
const SERVICE = 'sample';
const PSP = 'samplepay';

let workspace: TemporaryWorkspace;
let serviceRun: CommandResult;
let connectorRun: CommandResult;

/** The files `nx g` says it created or updated, from its CREATE and UPDATE lines. */
function writtenFiles(run: CommandResult): { created: string[]; updated: string[] } {
  const lines = run.output.split('\n').map((line) => line.trim());
  const files = (verb: string) =>
    lines.filter((line) => line.startsWith(`${verb} `)).map((line) => line.slice(verb.length + 1));
  return { created: files('CREATE'), updated: files('UPDATE') };
}

function allWritten(): string[] {
  return [serviceRun, connectorRun].flatMap((run) => {
    const { created, updated } = writtenFiles(run);
    return [...created, ...updated];
  });
}

function expectSuccess(result: CommandResult): void {
  if (result.exitCode !== 0) throw new Error(`exit code ${String(result.exitCode)}:\n${result.output}`);
}

beforeAll(async () => {
  workspace = TemporaryWorkspace.copyOf(join(__dirname, '..', '..', '..'));
  serviceRun = await workspace.run(
    'nx',
    [
      'g',
      '@keel/generators:service',
      SERVICE,
      '--description',
      'samples of what a service owns',
      '--no-interactive',
    ],
    COMMAND_TIMEOUT_MS,
  );
  connectorRun = await workspace.run(
    'nx',
    ['g', '@keel/generators:connector', PSP, '--method', 'easy_pay', '--no-interactive'],
    COMMAND_TIMEOUT_MS,
  );
});

afterAll(() => {
  workspace?.remove();
});

describe('npx nx g @keel/generators:service and :connector, in a copy of the workspace', () => {
  it("generate a service in Keel's shape and wire it everywhere, with nothing left unwired", () => {
    expectSuccess(serviceRun);
    const { created, updated } = writtenFiles(serviceRun);
    expect(created.sort()).toEqual(
      [
        'README.md',
        'jest.config.js',
        'project.json',
        'src/main.ts',
        `src/${SERVICE}.module.ts`,
        `src/${SERVICE}.environment.ts`,
        `src/${SERVICE}.environment.spec.ts`,
        `src/${SERVICE}.int-spec.ts`,
        `src/migrations/${SERVICE}-migrations.ts`,
        `test/${SERVICE}-harness.ts`,
      ]
        .map((file) => `apps/${SERVICE}/${file}`)
        .concat(`deploy/k8s/base/${SERVICE}.yaml`)
        .sort(),
    );
    expect(updated.sort()).toEqual(
      [
        'README.md',
        'deploy/k8s/base/kustomization.yaml',
        'deploy/k8s/overlays/dev/kustomization.yaml',
        'deploy/prometheus/prometheus.yml',
        'docker-compose.yml',
        'docs/architecture.md',
        'libs/local-system/src/service-catalog.ts',
        'tools/infra/src/local-postgres.ts',
        'tools/lint/module-boundaries.mjs',
      ].sort(),
    );
    expect(serviceRun.output).not.toContain('Not wired');
  });

  it('generate a connector with its psp-sim dialect and wire both everywhere, with nothing left unwired', () => {
    expectSuccess(connectorRun);
    const { created, updated } = writtenFiles(connectorRun);
    expect(created).toEqual(
      expect.arrayContaining([
        `libs/executor/connectors/src/${PSP}/${PSP}.connector.ts`,
        `libs/executor/connectors/src/${PSP}/${PSP}.connector.spec.ts`,
        `apps/psp-sim/src/${PSP}/${PSP}-api.ts`,
        `apps/psp-sim/src/${PSP}/${PSP}-api.spec.ts`,
        `apps/psp-sim/src/${PSP}/${PSP}.controller.ts`,
        `apps/executor/src/execution/${PSP}-connector.int-spec.ts`,
      ]),
    );
    expect(
      created.some((file) =>
        new RegExp(`^apps/executor/src/migrations/\\d+-add-${PSP}-routes\\.migration\\.ts$`).test(file),
      ),
    ).toBe(true);
    expect(updated).toEqual(
      expect.arrayContaining([
        'libs/executor/connectors/src/psp-connector-registry.ts',
        'libs/psp-accounts/src/psp-accounts.environment.ts',
        'apps/executor/src/executor.environment.ts',
        'apps/executor/src/executor.settings.ts',
        'apps/executor/src/executor.module.ts',
        'apps/psp-sim/src/psp-sim.module.ts',
        'apps/psp-sim/src/psp-sim.environment.ts',
        'apps/psp-sim/src/psp-sim.settings.ts',
        'libs/psp-sim/domain/src/settlement/settlement-profiles.ts',
        'libs/local-system/src/service-catalog.ts',
      ]),
    );
    expect(connectorRun.output).not.toContain('Not wired');
    expect(connectorRun.output).toContain(`give ${PSP} its real settlement dialect`);
  });

  it('leave a workspace that type-checks, lints, is formatted and passes the generated tests', async () => {
    const written = [...new Set(allWritten())];
    const linted = written.filter((file) => /\.(ts|mjs)$/.test(file));
    const specs = written.filter((file) => /\.(spec|int-spec)\.ts$/.test(file));
    const [typecheck, lint, format, tests] = await Promise.all([
      workspace.run('tsc', ['-p', 'tsconfig.json', '--noEmit'], COMMAND_TIMEOUT_MS),
      workspace.run('eslint', ['--max-warnings', '0', '--no-warn-ignored', ...linted], COMMAND_TIMEOUT_MS),
      workspace.run('prettier', ['--check', ...written], COMMAND_TIMEOUT_MS),
      workspace.run('jest', ['--ci', '--runTestsByPath', ...specs], COMMAND_TIMEOUT_MS),
    ]);
    expectSuccess(typecheck);
    expectSuccess(lint);
    expectSuccess(format);
    expectSuccess(tests);
    expect(specs).toEqual(
      expect.arrayContaining([
        `apps/${SERVICE}/src/${SERVICE}.environment.spec.ts`,
        `apps/${SERVICE}/src/${SERVICE}.int-spec.ts`,
        `libs/executor/connectors/src/${PSP}/${PSP}.connector.spec.ts`,
        `apps/psp-sim/src/${PSP}/${PSP}-api.spec.ts`,
        `apps/executor/src/execution/${PSP}-connector.int-spec.ts`,
        'apps/executor/src/executor.settings.spec.ts',
      ]),
    );
    expect(tests.output).toMatch(new RegExp(`Test Suites: ${specs.length} passed, ${specs.length} total`));
  });
});
