import {
  addClassMembers,
  addImport,
  addNamedImport,
  addToArrayConstant,
  addToArrayProperty,
  addToObjectConstant,
  addToReturnedArray,
  addToReturnedObject,
  addWhereKeysAre,
  inTurn,
} from '../wiring/source-edits';
import type { WiringStep } from '../wiring/wiring';
import { DEFAULT_FEE_BASIS_POINTS, PSP_SIM_ENVIRONMENT, type ConnectorOptions } from './connector-options';

const PORT_RULES = '  @Type(() => Number)\n  @IsInt()\n  @Min(0)\n  @Max(MAX_PORT)';
const FEE_RULES = '  @Type(() => Number)\n  @IsInt()\n  @Min(0)\n  @Max(10_000)';

/** A new PSP's settlement files until it is given its own: acme's CSV dialect, in UTC. */
function defaultSettlementProfile({ simulatorMethod }: ConnectorOptions): string {
  return `{ timeZone: 'UTC', dialect: ACME_CSV_DIALECT, unknownChargeMethod: '${simulatorMethod}', echoesReference: false }`;
}

function simulatorEnvironmentEdit({ names, port }: ConnectorOptions) {
  const variable = (suffix: string) => `PSP_SIM_${names.constantName}_${suffix}`;
  const credential = (name: string, localValue: string) =>
    `  @Sensitive({ localValue: '${localValue}' })\n  @MaxLength(255)\n  ${name}!: string;`;
  const webhookUrl = `PSP_SIM_WEBHOOK_URL_${names.constantName}`;
  const fee = feeVariable(names.constantName);
  return inTurn(
    addNamedImport('@keel/platform', 'Sensitive'),
    addClassMembers(
      'PspSimEnvironment',
      [{ name: variable('PORT'), text: `${PORT_RULES}\n  ${variable('PORT')} = ${port};` }],
      /^PSP_SIM_[A-Z0-9]+_PORT$/,
    ),
    addClassMembers(
      'PspSimEnvironment',
      [
        { name: variable('API_KEY'), text: credential(variable('API_KEY'), `${names.fileName}_test_key`) },
        {
          name: variable('WEBHOOK_SECRET'),
          text: credential(variable('WEBHOOK_SECRET'), `${names.fileName}_whsec_test`),
        },
      ],
      /^PSP_SIM_[A-Z0-9]+_WEBHOOK_SECRET$/,
    ),
    addClassMembers(
      'PspSimEnvironment',
      [
        {
          name: webhookUrl,
          text: `  @IsOptional()\n  @IsUrl(WEBHOOK_URL_OPTIONS)\n  ${webhookUrl}?: string;`,
        },
      ],
      /^PSP_SIM_WEBHOOK_URL_[A-Z0-9]+$/,
    ),
    addClassMembers(
      'PspSimEnvironment',
      [{ name: fee, text: `${FEE_RULES}\n  ${fee} = ${DEFAULT_FEE_BASIS_POINTS};` }],
      /^PSP_SIM_FEE_BPS_[A-Z0-9]+$/,
    ),
  );
}

function feeVariable(constantName: string): string {
  return `PSP_SIM_FEE_BPS_${constantName}`;
}

/**
 * psp-sim: the new dialect among its PSPs, with a port, credentials, ids, webhooks, a fee and a
 * settlement profile of its own.
 */
export function pspSimWiring(options: ConnectorOptions): WiringStep[] {
  const { fileName: name, className, constantName } = options.names;
  return [
    {
      file: 'libs/psp-sim/domain/src/psp.ts',
      change: `'${name}' in PSP_IDS`,
      edit: addToArrayConstant('PSP_IDS', `'${name}'`),
    },
    {
      file: 'libs/psp-sim/domain/src/ids.ts',
      change: `${name}'s id prefixes in CHARGE_PREFIX, REFUND_PREFIX and EVENT_PREFIX`,
      edit: inTurn(
        addToObjectConstant('CHARGE_PREFIX', name, "'pay_'"),
        addToObjectConstant('REFUND_PREFIX', name, "'rf_'"),
        addToObjectConstant('EVENT_PREFIX', name, "'evt_'"),
      ),
    },
    {
      file: 'libs/psp-sim/domain/src/settlement/settlement-profiles.ts',
      change: `${name}'s settlement profile in SETTLEMENT_PROFILES: acme's CSV dialect in UTC`,
      edit: addToObjectConstant('SETTLEMENT_PROFILES', name, defaultSettlementProfile(options)),
    },
    {
      file: PSP_SIM_ENVIRONMENT,
      change: `PSP_SIM_${constantName}_PORT (${options.port}), PSP_SIM_${constantName}_API_KEY and PSP_SIM_${constantName}_WEBHOOK_SECRET (sensitive), PSP_SIM_WEBHOOK_URL_${constantName}, ${feeVariable(constantName)} (${DEFAULT_FEE_BASIS_POINTS})`,
      edit: simulatorEnvironmentEdit(options),
    },
    {
      file: 'apps/psp-sim/src/psp-sim.environment.spec.ts',
      change: `PSP_SIM_${constantName}_API_KEY and PSP_SIM_${constantName}_WEBHOOK_SECRET in CREDENTIALS, the secrets the simulator needs outside KEEL_PROFILE=local`,
      edit: inTurn(
        addToArrayConstant('CREDENTIALS', `'PSP_SIM_${constantName}_API_KEY'`),
        addToArrayConstant('CREDENTIALS', `'PSP_SIM_${constantName}_WEBHOOK_SECRET'`),
      ),
    },
    {
      file: 'apps/psp-sim/src/psp-sim.settings.ts',
      change: `${name}'s ${feeVariable(constantName)} in feeBasisPointsOf`,
      edit: addToReturnedObject('feeBasisPointsOf', name, `environment.${feeVariable(constantName)}`),
    },
    {
      file: 'apps/psp-sim/src/http/psp-ports.service.ts',
      change: `${name}'s configured port in PspPortsService.open`,
      edit: addToObjectConstant('configured', name, `this.environment.PSP_SIM_${constantName}_PORT`),
    },
    {
      file: 'apps/psp-sim/src/webhooks/webhook.service.ts',
      change: `${name}'s webhook target in targetsOf`,
      edit: inTurn(
        addImport(`import { ${name}WebhookBody } from '../${name}/${name}.wire';`),
        addToReturnedObject(
          'targetsOf',
          name,
          `{ url: environment.PSP_SIM_WEBHOOK_URL_${constantName}, secret: environment.PSP_SIM_${constantName}_WEBHOOK_SECRET, signatureHeader: '${name}-signature', contentType: JSON_CONTENT_TYPE, body: (event, eventId) => ${name}WebhookBody(event, eventId) }`,
        ),
      ),
    },
    {
      file: 'apps/psp-sim/src/psp-sim.module.ts',
      change: `${className}Controller in pspSimModule's controllers, ${className}Api in coreProviders`,
      edit: inTurn(
        addImport(`import { ${className}Api } from './${name}/${name}-api';`),
        addImport(`import { ${className}Controller } from './${name}/${name}.controller';`),
        addToArrayProperty('pspSimModule', 'controllers', `${className}Controller`),
        addToReturnedArray(
          'coreProviders',
          `{ provide: ${className}Api, inject: [Simulator], useFactory: (simulator: Simulator) => new ${className}Api(simulator, environment.PSP_SIM_${constantName}_API_KEY) }`,
        ),
      ),
    },
    {
      file: 'apps/psp-sim/test/psp-sim-harness.ts',
      change: `PSP_SIM_${constantName}_PORT: '0' where the test simulator takes free ports`,
      edit: addWhereKeysAre(
        options.existingPspIds.map((id) => `PSP_SIM_${id.toUpperCase()}_PORT`),
        `PSP_SIM_${constantName}_PORT`,
        "'0'",
      ),
    },
  ];
}

/** The local system (npm start, tests' systems, chaos): one more PSP port of the simulator. */
export function localSystemPspWiring({ names, port }: ConnectorOptions): WiringStep[] {
  return [
    {
      file: 'tools/chaos/src/faults/fault-context.ts',
      change: `'${names.fileName}' in DELAYED_LINKS: the chaos environment puts every PSP behind a proxy it can delay`,
      edit: addToArrayConstant('DELAYED_LINKS', `'${names.fileName}'`),
    },
    {
      file: 'libs/local-system/src/service-catalog.ts',
      change: `'${names.fileName}' in PSP_IDS and ${names.fileName}: ${port} in DEFAULT_PSP_PORTS`,
      edit: inTurn(
        addToArrayConstant('PSP_IDS', `'${names.fileName}'`),
        addToObjectConstant('DEFAULT_PSP_PORTS', names.fileName, String(port)),
      ),
    },
  ];
}
