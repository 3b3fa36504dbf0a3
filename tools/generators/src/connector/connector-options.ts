import type { Tree } from '@nx/devkit';
import { nameFormsOf, type NameForms } from '../names';
import { localSystemPorts } from '../local-system-ports';
import { nextFreePort, numbersOfClassMembers, stringElementsOf } from '../wiring/source-reads';

export const PAYMENT_METHOD_TYPES = ['card', 'easy_pay', 'bank_transfer'] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

/** The options of `nx g @keel/generators:connector` (schema.json). */
export interface ConnectorGeneratorOptions {
  readonly name: string;
  readonly method?: PaymentMethodType;
  readonly weight?: number;
  readonly port?: number;
}

export interface ConnectorOptions {
  readonly names: NameForms;
  readonly method: PaymentMethodType;
  /** psp-sim's word for the method (its fault targets say `bank`, not `bank_transfer`). */
  readonly simulatorMethod: 'card' | 'easy_pay' | 'bank';
  readonly weight: number;
  readonly port: number;
  /** The PSPs there are before this one: the keys of every map written once per PSP. */
  readonly existingPspIds: readonly string[];
  /** Names the routes migration; a migration's timestamp orders it after the others. */
  readonly timestampMs: number;
}

export const CONNECTOR_REGISTRY = 'libs/executor/connectors/src/psp-connector-registry.ts';
export const PSP_SIM_ENVIRONMENT = 'apps/psp-sim/src/psp-sim.environment.ts';
/** A new PSP's contract fee in psp-sim (PSP_SIM_FEE_BPS_<PSP>) until its real one is set: acme's. */
export const DEFAULT_FEE_BASIS_POINTS = 250;

function simulatorMethodOf(method: PaymentMethodType): ConnectorOptions['simulatorMethod'] {
  return method === 'bank_transfer' ? 'bank' : method;
}

/** Validates the options against the workspace and fills in the port. */
export function connectorOptionsOf(
  tree: Tree,
  options: ConnectorGeneratorOptions,
  timestampMs: number,
): ConnectorOptions {
  const names = nameFormsOf(options.name, 'PSP');
  const method = options.method ?? 'card';
  if (!PAYMENT_METHOD_TYPES.includes(method))
    throw new Error(`method must be one of ${PAYMENT_METHOD_TYPES.join(', ')}`);
  const existingPspIds = stringElementsOf(tree.read(CONNECTOR_REGISTRY, 'utf-8') ?? '', 'PSP_IDS');
  if (existingPspIds === undefined) throw new Error(`no PSP_IDS in ${CONNECTOR_REGISTRY}`);
  if (existingPspIds.includes(names.fileName)) throw new Error(`the PSP ${names.fileName} exists already`);
  const simulatorPorts = numbersOfClassMembers(
    tree.read(PSP_SIM_ENVIRONMENT, 'utf-8') ?? '',
    /^PSP_SIM_\w*PORT$/,
  );
  const taken = [...simulatorPorts, ...localSystemPorts(tree)];
  const port = options.port ?? nextFreePort(simulatorPorts, taken);
  if (port === undefined) throw new Error(`no simulator ports found in ${PSP_SIM_ENVIRONMENT}; pass --port`);
  if (options.port !== undefined && taken.includes(port)) throw new Error(`port ${port} is taken already`);
  const weight = options.weight ?? 0;
  if (!Number.isInteger(weight) || weight < 0) throw new Error('weight must be a whole number from 0');
  return {
    names,
    method,
    simulatorMethod: simulatorMethodOf(method),
    weight,
    port,
    existingPspIds,
    timestampMs,
  };
}
