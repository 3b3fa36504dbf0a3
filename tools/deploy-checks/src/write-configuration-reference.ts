import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIGURATION_REFERENCE_FILE, configurationReference } from './configuration-reference';
import { repositoryRoot } from './environment-classes';

/** `npm run docs:config`: writes docs/configuration.md from the environment classes. */
writeFileSync(join(repositoryRoot, CONFIGURATION_REFERENCE_FILE), configurationReference());
process.stdout.write(`wrote ${CONFIGURATION_REFERENCE_FILE}\n`);
