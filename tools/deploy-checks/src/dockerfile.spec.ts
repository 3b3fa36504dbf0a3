import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { repositoryRoot } from './environment-classes';

const DOCKERFILE = 'deploy/Dockerfile';
const content = readFileSync(join(repositoryRoot, DOCKERFILE), 'utf8');

describe(`the image pattern (${DOCKERFILE})`, () => {
  it('passes the dockerfile-utils linter with every rule an error', () => {
    // The rules that default to warnings or are off are raised to errors.
    const diagnostics = validate(content, {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    });
    expect(
      diagnostics.map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`),
    ).toEqual([]);
  });

  it('builds on Node 24, runs the built app as the unprivileged user, checks readiness and takes SIGTERM', () => {
    const dockerfile = DockerfileParser.parse(content);
    const instructions = dockerfile.getInstructions();
    const stages = instructions.filter((instruction) => instruction.getKeyword() === 'FROM');
    const lastStage = stages.at(-1);
    if (lastStage === undefined) throw new Error('no FROM');
    const final = instructions.slice(instructions.indexOf(lastStage));
    const argument = (keyword: string): string[] =>
      final
        .filter((instruction) => instruction.getKeyword() === keyword)
        .map((instruction) => instruction.getArgumentsContent() ?? '');
    expect(content).toMatch(/^ARG NODE_IMAGE=node:24-[a-z-]+$/m);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(argument('USER')).toEqual(['node']);
    expect(argument('ARG')).toContain('SERVICE');
    expect(argument('HEALTHCHECK').join('')).toContain('/health/ready');
    expect(argument('STOPSIGNAL')).toEqual(['SIGTERM']);
    // Exec form with node itself as PID 1: no shell that would swallow the signal.
    expect(argument('CMD')).toEqual(['["node", "main.js"]']);
    expect(argument('RUN').join('\n')).toContain('dist/apps/${SERVICE}/src/main.js');
    expect(content).toMatch(/npm ci --omit=dev/);
  });

  it('leaves secrets, local state and build output out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(join(repositoryRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.keel', '.git', '.env', '.env.*']),
    );
  });
});
