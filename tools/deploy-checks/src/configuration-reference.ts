import { getMetadataStorage } from 'class-validator';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  declaredVariablesOf,
  sensitiveVariablesOf,
  withLocalSecrets,
  type EnvironmentShape,
} from '@keel/platform';
import { propertyDocComments } from './doc-comments';
import {
  COMMON_ENVIRONMENT,
  deployableEnvironments,
  repositoryRoot,
  type DeployableEnvironment,
} from './environment-classes';

export const CONFIGURATION_REFERENCE_FILE = 'docs/configuration.md';
export const REGENERATE_COMMAND = 'npm run docs:config';

/** One variable as the reference states it. */
export interface VariableEntry {
  readonly name: string;
  readonly defaultValue: string;
  readonly accepts: string;
  readonly description: string;
}

interface ValidationRule {
  readonly propertyName: string;
  readonly type: string;
  readonly name?: string;
  readonly constraints?: readonly unknown[];
}

function rulesOf(shape: EnvironmentShape, variable: string): ValidationRule[] {
  return (
    getMetadataStorage().getTargetValidationMetadatas(shape, '', true, false) as ValidationRule[]
  ).filter((rule) => rule.propertyName === variable);
}

/** Rules the text above states in words; any other (a service's own check) is named as it is. */
const DESCRIBED_RULES = new Set([
  'isInt',
  'min',
  'max',
  'isIn',
  'matches',
  'isUrl',
  'minLength',
  'maxLength',
  'isLength',
  'isString',
  'isSecret',
]);

/** What a variable accepts, in words, from its class-validator rules. */
function acceptedValues(shape: EnvironmentShape, variable: string, secret: boolean): string {
  const rules = rulesOf(shape, variable);
  const has = (kind: string): boolean => rules.some((rule) => rule.type === kind || rule.name === kind);
  const first = (kind: string): readonly unknown[] | undefined =>
    rules.find((rule) => rule.type === kind || rule.name === kind)?.constraints;
  const parts: string[] = [];
  const min = first('min')?.[0];
  const max = first('max')?.[0];
  if (has('isInt')) {
    parts.push(min !== undefined || max !== undefined ? `integer ${bound(min)}–${bound(max)}` : 'integer');
  } else if (min !== undefined || max !== undefined) {
    parts.push(`number ${bound(min)}–${bound(max)}`);
  }
  const oneOf = first('isIn')?.[0];
  if (Array.isArray(oneOf)) parts.push(`one of ${oneOf.map((value) => `\`${String(value)}\``).join(', ')}`);
  const pattern = first('matches')?.[0];
  if (pattern instanceof RegExp) parts.push(`matches \`${pattern.source}\``);
  if (has('isUrl')) parts.push('http(s) URL');
  const length = first('isLength');
  const minLength = first('minLength')?.[0] ?? length?.[0];
  const maxLength = first('maxLength')?.[0] ?? length?.[1];
  if (minLength !== undefined && maxLength !== undefined) {
    parts.push(`${bound(minLength)}–${bound(maxLength)} characters`);
  } else if (minLength !== undefined) {
    parts.push(`at least ${bound(minLength)} character${minLength === 1 ? '' : 's'}`);
  } else if (maxLength !== undefined) {
    parts.push(`at most ${bound(maxLength)} characters`);
  }
  const custom = rules
    .filter((rule) => rule.type === 'customValidation' && rule.name !== undefined)
    .map((rule) => rule.name as string)
    .filter((name) => !DESCRIBED_RULES.has(name));
  parts.push(...custom.map((name) => `check \`${name}\``));
  if (secret) parts.unshift('secret');
  if (parts.length === 0 && has('isString')) parts.push('text');
  return parts.join('; ');
}

const bound = (value: unknown): string =>
  typeof value === 'number' ? value.toLocaleString('en-US').replace(/,/g, '_') : '';

function renderDefault(value: unknown): string {
  if (value === undefined) return '';
  if (value === '') return '(empty)';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** The variables of `shape` that `only` keeps, with their defaults, rules and doc comments. */
function entriesOf(
  shape: EnvironmentShape,
  comments: ReadonlyMap<string, string>,
  only: (variable: string, defaultValue: unknown) => boolean,
): VariableEntry[] {
  const defaults = new shape() as Record<string, unknown>;
  const sensitive = sensitiveVariablesOf(shape);
  const localSecrets = withLocalSecrets(shape, { KEEL_PROFILE: 'local' });
  return declaredVariablesOf(shape)
    .filter((variable) => only(variable, defaults[variable]))
    .sort()
    .map((variable) => {
      const secret = sensitive.has(variable);
      const required = defaults[variable] === undefined && !isOptional(shape, variable);
      const defaultValue =
        secret && !isOptional(shape, variable)
          ? localSecrets[variable] === undefined
            ? 'required'
            : 'required; a public local value under `KEEL_PROFILE=local`'
          : required
            ? 'required'
            : renderDefault(defaults[variable]);
      return {
        name: variable,
        defaultValue,
        accepts: acceptedValues(shape, variable, secret),
        description: comments.get(variable) ?? '',
      };
    });
}

function isOptional(shape: EnvironmentShape, variable: string): boolean {
  return rulesOf(shape, variable).some((rule) => rule.type === 'conditionalValidation');
}

function table(entries: readonly VariableEntry[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    '| variable | default | accepts | what it does |',
    '| --- | --- | --- | --- |',
    ...entries.map(
      (entry) =>
        `| \`${entry.name}\` | ${cell(entry.defaultValue)} | ${cell(entry.accepts)} | ${cell(entry.description)} |`,
    ),
  ].join('\n');
}

/** Each Keel service's variables beyond the common ones, and common ones whose default it changes. */
function serviceSection(environment: DeployableEnvironment, common: ReadonlySet<string>): string {
  const comments = propertyDocComments(repositoryRoot, environment.file, environment.className);
  const commonDefaults = new COMMON_ENVIRONMENT.shape() as Record<string, unknown>;
  const entries = entriesOf(
    environment.shape,
    comments,
    (variable, defaultValue) =>
      !environment.keelService || !common.has(variable) || commonDefaults[variable] !== defaultValue,
  );
  const heading = `## ${environment.deployable}`;
  const source = `\`${environment.className}\` in [${environment.file}](../${environment.file})`;
  const scope = environment.keelService
    ? `The [common variables](#every-keel-service) and these (${source}):`
    : `Not a Keel service: only these (${source}):`;
  return [heading, scope, entries.length > 0 ? table(entries) : '_None of its own._'].join('\n\n');
}

/** Every variable of every deployable, as the Markdown of docs/configuration.md (Prettier's layout). */
export function configurationReference(): string {
  const environments = deployableEnvironments();
  const commonComments = propertyDocComments(repositoryRoot, COMMON_ENVIRONMENT.file, 'ServiceEnvironment');
  const common = new Set(declaredVariablesOf(COMMON_ENVIRONMENT.shape));
  const markdown = [
    `<!-- Generated by \`${REGENERATE_COMMAND}\` from the environment classes; do not edit by hand. tools/deploy-checks fails when it and the code differ. -->`,
    '# Configuration reference',
    [
      'Every environment variable each Keel deployable reads, generated from the class that validates',
      'it at start (`apps/<app>/src/<app>.environment.ts`, most extending `ServiceEnvironment` of',
      '`libs/platform`). A process refuses to start with a value these rules refuse and names every',
      'problem. **Secrets** have no default: they must be set (keys and signing secrets at least 32',
      'characters), and under `KEEL_PROFILE=local` some take a public local value (the PSP simulator’s',
      'test credentials), refused in any other profile ([security](security.md#keys-and-secrets)).',
      'Ranges are inclusive; `check` names a rule of the service’s own, explained beside it.',
      'How to set them in compose and Kubernetes: [deploy.md](deploy.md).',
    ].join('\n'),
    '## Every Keel service',
    `Read by payment, executor, wallet, ledger, reconciliation and ops (\`ServiceEnvironment\` in [${COMMON_ENVIRONMENT.file}](../${COMMON_ENVIRONMENT.file})):`,
    table(entriesOf(COMMON_ENVIRONMENT.shape, commonComments, () => true)),
    ...environments.map((environment) => serviceSection(environment, common)),
  ].join('\n\n');
  return formattedAsRepository(markdown, CONFIGURATION_REFERENCE_FILE);
}

/**
 * `text` as Prettier lays out `file` with the repository's settings (what `npm run lint` checks).
 * Prettier runs as its own process: it loads its plugins by dynamic import, which jest's module
 * registry cannot do.
 */
function formattedAsRepository(text: string, file: string): string {
  return execFileSync(
    process.execPath,
    [join(repositoryRoot, 'node_modules/prettier/bin/prettier.cjs'), '--stdin-filepath', file],
    { cwd: repositoryRoot, input: text, encoding: 'utf8' },
  );
}

/** Every variable name each deployable reads, by deployable (common ones included for services). */
export function variablesByDeployable(): Map<string, ReadonlySet<string>> {
  return new Map(
    deployableEnvironments().map((environment) => [
      environment.deployable,
      new Set(declaredVariablesOf(environment.shape)),
    ]),
  );
}
