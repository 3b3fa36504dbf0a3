import { formatFiles, generateFiles, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { applyWiring, printWiringReport } from '../wiring/wiring';
import {
  connectorOptionsOf,
  DEFAULT_FEE_BASIS_POINTS,
  type ConnectorGeneratorOptions,
  type ConnectorOptions,
} from './connector-options';
import { docsWiring } from './docs-wiring';
import { executorWiring } from './executor-wiring';
import { localSystemPspWiring, pspSimWiring } from './psp-sim-wiring';

/** What a new PSP still needs that only its author can decide. */
function connectorFollowUps({ names, method, weight }: ConnectorOptions): string[] {
  const name = names.fileName;
  return [
    `the connector (libs/executor/connectors/src/${name}) and its dialect (apps/psp-sim/src/${name}) speak a generic JSON API: change both to ${name}'s real one, keep the status mapping exhaustive, and grow ${name}.connector.spec.ts with its real answers`,
    weight === 0
      ? `routing: ${method} payments reach ${name} only once PUT /v1/routes (or a migration) gives it a weight above 0`
      : `routing: ${method} payments reach ${name} with weight ${weight} from the next executor start`,
    `settlement: give ${name} its real settlement dialect: psp-sim writes its files in acme's CSV dialect in UTC (its profile in SETTLEMENT_PROFILES, libs/psp-sim/domain/src/settlement/settlement-profiles.ts) and charges PSP_SIM_FEE_BPS_${names.constantName} (${DEFAULT_FEE_BASIS_POINTS} bps); its writer, dialect, time zone and download, and Keel's parser, are yours (docs/settlement-files.md, "Adding a PSP")`,
    `production: set PSP_${names.constantName}_URL, PSP_${names.constantName}_API_KEY and PSP_${names.constantName}_WEBHOOK_SECRET (outside KEEL_PROFILE=local the executor and psp-sim refuse to start without them, and refuse the test values)`,
    `chaos: add '${name}' to PSPS in tools/chaos/src/schedule/fault-schedule.ts for the chaos run to fault it (it changes the schedule every seed draws)`,
    `prose that counts the PSPs (README.md, docs/architecture.md, docs/settlement-files.md, apps/psp-sim/README.md and API.md's introduction)`,
  ];
}

/**
 * `nx g @keel/generators:connector <name> --method card`: a new PSP, the way Hyperswitch's
 * add_connector does it: a connector behind the one PspConnector interface (transformers with an
 * exhaustive status mapping, webhook verification, a unit spec), the same dialect in psp-sim, and
 * every place that names each PSP: the registry, the executor's environment and settings, a
 * routes migration, the simulator's ports, credentials, webhooks, fee and settlement profile, the
 * local system, the docs.
 */
export async function connectorGenerator(
  tree: Tree,
  generatorOptions: ConnectorGeneratorOptions,
): Promise<() => void> {
  const options = connectorOptionsOf(tree, generatorOptions, Date.now());
  const substitutions = { ...options.names, ...options, tmpl: '' };
  generateFiles(tree, join(__dirname, 'files', 'connector'), 'libs/executor/connectors/src', substitutions);
  generateFiles(tree, join(__dirname, 'files', 'psp-sim'), 'apps/psp-sim/src', substitutions);
  generateFiles(tree, join(__dirname, 'files', 'migration'), 'apps/executor/src/migrations', substitutions);
  generateFiles(
    tree,
    join(__dirname, 'files', 'executor-test'),
    'apps/executor/src/execution',
    substitutions,
  );
  const report = applyWiring(tree, [
    ...executorWiring(options),
    ...pspSimWiring(options),
    ...localSystemPspWiring(options),
    ...docsWiring(options),
  ]);
  await formatFiles(tree);
  return () => printWiringReport(report, connectorFollowUps(options));
}
