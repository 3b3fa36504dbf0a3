import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFilesUnder } from './repository-files';
import {
  CONFIGURATION_REFERENCE_FILE,
  configurationReference,
  REGENERATE_COMMAND,
  variablesByDeployable,
} from './configuration-reference';
import { repositoryRoot } from './environment-classes';

/**
 * Where a deployable's code may read the process environment: only the loaders, which read exactly
 * the variables its environment class declares. Anything else would be a variable the reference
 * cannot see.
 */
const ENVIRONMENT_LOADERS = [
  'libs/platform/src/service-environment.ts',
  'apps/psp-sim/src/psp-sim.environment.ts',
];

/** Libraries for tools and tests only (type:tooling), never in a deployable. */
const TOOLING_LIBRARIES = ['libs/local-system/', 'libs/local-infra/', 'libs/testing/'];

describe('the configuration reference (docs/configuration.md)', () => {
  it('is what the environment classes generate: every variable each deployable reads, no other', () => {
    const committed = readFileSync(join(repositoryRoot, CONFIGURATION_REFERENCE_FILE), 'utf8');
    const generated = configurationReference();
    if (committed !== generated) {
      throw new Error(
        `${CONFIGURATION_REFERENCE_FILE} differs from the environment classes: run \`${REGENERATE_COMMAND}\` and commit it`,
      );
    }
    const documented = new Set([...committed.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map((match) => match[1]));
    const read = new Set([...variablesByDeployable().values()].flatMap((variables) => [...variables]));
    expect([...documented].sort()).toEqual([...read].sort());
    expect([...variablesByDeployable().keys()].sort()).toEqual([
      'executor',
      'ledger',
      'ops',
      'payment',
      'psp-sim',
      'reconciliation',
      'wallet',
    ]);
  }, 60_000);

  it('is all there is: no deployable code reads process.env outside the environment loaders', () => {
    const readers = [...sourceFilesUnder('apps'), ...sourceFilesUnder('libs')]
      .filter((file) => !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file) && !/\/test\//.test(file))
      .filter((file) => !TOOLING_LIBRARIES.some((library) => file.startsWith(library)))
      .filter((file) => /\bprocess\.env\b/.test(readFileSync(join(repositoryRoot, file), 'utf8')));
    expect(readers.sort()).toEqual([...ENVIRONMENT_LOADERS].sort());
  });
});
