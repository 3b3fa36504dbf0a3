import {
  addClassMembers,
  addExport,
  addImport,
  addInterfaceMember,
  addSwitchCase,
  addToArrayConstant,
  addToArrayProperty,
  addToReturnedObject,
  inTurn,
} from '../wiring/source-edits';
import { insertLinesAfterLast } from '../wiring/text-edits';
import type { WiringStep } from '../wiring/wiring';
import { CONNECTOR_REGISTRY, type ConnectorOptions } from './connector-options';

/** A PSP credential: no default, psp-sim's test value under KEEL_PROFILE=local. */
function sensitiveMember(name: string, localValue: string): string {
  return `  @Sensitive({ localValue: '${localValue}' })\n  ${name}!: string;`;
}

/** The connectors library: the registry builds the new connector from its settings. */
function connectorLibraryWiring({ names }: ConnectorOptions): WiringStep[] {
  const { fileName: name, className } = names;
  return [
    {
      file: CONNECTOR_REGISTRY,
      change: `'${name}' in PSP_IDS, ${name}?: ${className}Settings in PspConnectorsSettings, a case in connectorOf`,
      edit: inTurn(
        addImport(
          `import { ${className}Connector, type ${className}Settings } from './${name}/${name}.connector';`,
        ),
        addToArrayConstant('PSP_IDS', `'${name}'`),
        addInterfaceMember('PspConnectorsSettings', name, `  readonly ${name}?: ${className}Settings;`),
        addSwitchCase(
          'connectorOf',
          `'${name}'`,
          `case '${name}':\n      return settings.${name} === undefined ? undefined : new ${className}Connector(settings.${name});`,
        ),
      ),
    },
    {
      file: 'libs/executor/connectors/src/index.ts',
      change: `export * from './${name}/${name}.connector'`,
      edit: addExport(`export * from './${name}/${name}.connector';`),
    },
  ];
}

/** The executor: its environment, its settings (and their test), its migrations, its test harness. */
function executorAppWiring(options: ConnectorOptions): WiringStep[] {
  const { fileName: name, className, constantName } = options.names;
  const variable = (suffix: string) => `PSP_${constantName}_${suffix}`;
  const migrationClass = `Add${className}Routes${options.timestampMs}`;
  return [
    {
      file: 'libs/psp-accounts/src/psp-accounts.environment.ts',
      change: `${variable('URL')} and ${variable('API_KEY')} (sensitive, psp-sim's test value under KEEL_PROFILE=local), beside the other PSPs' accounts`,
      edit: inTurn(
        addClassMembers(
          'PspAccountsEnvironment',
          [
            {
              name: variable('URL'),
              text: `  @IsUrl(URL_OPTIONS)\n  ${variable('URL')} = 'http://127.0.0.1:${options.port}';`,
            },
          ],
          /^PSP_[A-Z0-9]+_URL$/,
        ),
        addClassMembers(
          'PspAccountsEnvironment',
          [{ name: variable('API_KEY'), text: sensitiveMember(variable('API_KEY'), `${name}_test_key`) }],
          /^PSP_[A-Z0-9_]+$/,
        ),
      ),
    },
    {
      file: 'apps/executor/src/executor.environment.ts',
      change: `${variable('WEBHOOK_SECRET')} (sensitive, psp-sim's test value under KEEL_PROFILE=local)`,
      edit: addClassMembers(
        'ExecutorEnvironment',
        [
          {
            name: variable('WEBHOOK_SECRET'),
            text: sensitiveMember(variable('WEBHOOK_SECRET'), `${name}_whsec_test`),
          },
        ],
        /^PSP_[A-Z0-9]+_WEBHOOK_SECRET$/,
      ),
    },
    {
      file: 'apps/executor/src/executor.settings.ts',
      change: `its settings in connectorsOf`,
      edit: inTurn(
        addToReturnedObject(
          'connectorsOf',
          name,
          `{ ...connectionOf(environment, environment.${variable('URL')}, environment.${variable('WEBHOOK_SECRET')}), apiKey: new Secret(environment.${variable('API_KEY')}) }`,
        ),
      ),
    },
    {
      file: 'apps/executor/src/executor.settings.spec.ts',
      change: `${variable('API_KEY')} and ${variable('WEBHOOK_SECRET')} in PSP_SECRETS, which the executor refuses to start without outside KEEL_PROFILE=local`,
      edit: inTurn(
        addToArrayConstant('PSP_SECRETS', `'${variable('API_KEY')}'`),
        addToArrayConstant('PSP_SECRETS', `'${variable('WEBHOOK_SECRET')}'`),
      ),
    },
    {
      file: 'apps/executor/src/executor.module.ts',
      change: `${migrationClass} (its route) last among the executor's migrations`,
      edit: inTurn(
        addImport(
          `import { ${migrationClass} } from './migrations/${options.timestampMs}-add-${name}-routes.migration';`,
        ),
        addToArrayProperty('executorModule', 'migrations', migrationClass),
      ),
    },
    {
      file: 'docker-compose.yml',
      change: `${variable('URL')}: http://psp-sim:${options.port} in the executor's environment`,
      edit: insertLinesAfterLast(
        /^\s+PSP_[A-Z0-9]+_URL: http:\/\/psp-sim:/,
        [`      ${variable('URL')}: http://psp-sim:${options.port}`],
        `${variable('URL')}:`,
      ),
    },
  ];
}

export function executorWiring(options: ConnectorOptions): WiringStep[] {
  return [...connectorLibraryWiring(options), ...executorAppWiring(options)];
}
