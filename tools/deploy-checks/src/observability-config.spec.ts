import { cpSync, globSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { deployTool, runTool } from './deploy-tools';
import { repositoryRoot } from './environment-classes';
import { selectedNames, withGrafanaVariablesResolved } from './promql-names';
import {
  LABELS_ON_EVERY_SERIES,
  registeredMetrics,
  seriesNamesOf,
  type RegisteredMetric,
} from './registered-metrics';

/** Where compose's metrics-token job leaves Prometheus's operator token. */
const PROMETHEUS_TOKEN_FILE = '/run/keel-token/prometheus';

/** Series Prometheus makes itself for every target. */
const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

interface Panel {
  readonly title?: string;
  readonly datasource?: { readonly uid?: string };
  readonly targets?: readonly { readonly expr?: string; readonly datasource?: { readonly uid?: string } }[];
  readonly panels?: readonly Panel[];
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
}

const dashboardFiles = globSync('deploy/grafana/dashboards/*.json', { cwd: repositoryRoot }).sort();
const dashboards = dashboardFiles.map((file) => ({
  file,
  dashboard: JSON.parse(readFileSync(join(repositoryRoot, file), 'utf8')) as Dashboard,
}));
const ruleFiles = globSync('deploy/prometheus/rules/*.yml', { cwd: repositoryRoot }).sort();
const ruleTestFiles = globSync('deploy/prometheus/tests/*.test.yml', { cwd: repositoryRoot }).sort();

interface RuleGroups {
  readonly groups: readonly {
    readonly rules: readonly { alert?: string; record?: string; expr: string }[];
  }[];
}
interface RuleTests {
  readonly tests: readonly {
    readonly input_series: readonly { readonly series: string }[];
    readonly alert_rule_test?: readonly {
      readonly alertname: string;
      readonly exp_alerts: readonly unknown[];
    }[];
  }[];
}

function yamlOf<T>(file: string): T {
  return parse(readFileSync(join(repositoryRoot, file), 'utf8')) as T;
}

function panelsOf(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

/** Each series name the code exposes, with the labels its family has. */
function seriesIndex(metrics: readonly RegisteredMetric[]): Map<string, ReadonlySet<string>> {
  const index = new Map<string, ReadonlySet<string>>();
  for (const metric of metrics) {
    for (const series of seriesNamesOf(metric)) {
      const labels = new Set([...metric.labels, ...LABELS_ON_EVERY_SERIES]);
      if (series.endsWith('_bucket') && metric.kind === 'histogram') labels.add('le');
      index.set(series, labels);
    }
  }
  for (const series of PROMETHEUS_SERIES) index.set(series, new Set(LABELS_ON_EVERY_SERIES));
  return index;
}

/** What is wrong with one expression: series or labels no code registers. */
function unknownNames(expression: string, index: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const { metrics, labels } = selectedNames(expression);
  const problems = [...metrics].filter((metric) => !index.has(metric)).map((metric) => `series ${metric}`);
  const known = new Set([...metrics].flatMap((metric) => [...(index.get(metric) ?? [])]));
  problems.push(...[...labels].filter((label) => !known.has(label)).map((label) => `label ${label}`));
  return problems;
}

describe('Prometheus (deploy/prometheus), checked by promtool', () => {
  it('has a configuration promtool accepts, its rule files included', () => {
    const promtool = deployTool('promtool');
    // promtool wants the token file, which exists in a running stack only (compose's metrics-token
    // job writes it): the copy checked names a placeholder instead, and nothing else changes.
    const copy = mkdtempSync(join(tmpdir(), 'keel-prometheus-'));
    try {
      cpSync(join(repositoryRoot, 'deploy/prometheus'), copy, { recursive: true });
      const token = join(copy, 'operator-token');
      writeFileSync(token, 'op_placeholder\n');
      const configuration = readFileSync(join(copy, 'prometheus.yml'), 'utf8');
      expect(configuration).toContain(`credentials_file: ${PROMETHEUS_TOKEN_FILE}`);
      writeFileSync(join(copy, 'prometheus.yml'), configuration.replace(PROMETHEUS_TOKEN_FILE, token));
      expect(runTool(promtool, ['check', 'config', 'prometheus.yml'], copy)).toContain('SUCCESS');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('has alert rules promtool accepts, over series the code registers', () => {
    expect(ruleFiles.length).toBeGreaterThan(0);
    const output = runTool(deployTool('promtool'), ['check', 'rules', ...ruleFiles]);
    expect(output).toContain('SUCCESS');
    const index = seriesIndex(registeredMetrics());
    const problems = ruleFiles.flatMap((file) => {
      const { groups } = yamlOf<RuleGroups>(file);
      return groups.flatMap((group) =>
        group.rules.flatMap((rule) =>
          unknownNames(rule.expr, index).map((problem) => `${file} ${rule.alert ?? rule.record}: ${problem}`),
        ),
      );
    });
    expect(problems).toEqual([]);
  });
});

describe('Prometheus alert rules, unit-tested by promtool (deploy/prometheus/tests)', () => {
  it('pass their tests', () => {
    expect(ruleTestFiles.length).toBeGreaterThan(0);
    const output = runTool(
      deployTool('promtool'),
      ['test', 'rules', ...ruleTestFiles.map((file) => basename(file))],
      join(repositoryRoot, 'deploy/prometheus/tests'),
    );
    expect(output.match(/SUCCESS/g)).toHaveLength(ruleTestFiles.length);
  });

  it('are each seen firing by a test', () => {
    const alerts = ruleFiles.flatMap((file) =>
      yamlOf<RuleGroups>(file).groups.flatMap((group) => group.rules.flatMap((rule) => rule.alert ?? [])),
    );
    const seenFiring = new Set(
      ruleTestFiles.flatMap((file) =>
        yamlOf<RuleTests>(file).tests.flatMap((test) =>
          (test.alert_rule_test ?? []).flatMap((check) =>
            check.exp_alerts.length > 0 ? [check.alertname] : [],
          ),
        ),
      ),
    );
    expect(alerts.filter((alert) => !seenFiring.has(alert))).toEqual([]);
  });

  it('are tested with series and labels the code registers', () => {
    const index = seriesIndex(registeredMetrics());
    const problems = ruleTestFiles.flatMap((file) =>
      yamlOf<RuleTests>(file).tests.flatMap((test) =>
        test.input_series.flatMap(({ series }) =>
          unknownNames(series, index).map((problem) => `${file} ${series}: ${problem}`),
        ),
      ),
    );
    expect(problems).toEqual([]);
  });
});

describe('Grafana dashboards (deploy/grafana)', () => {
  const provisioned = parse(
    readFileSync(join(repositoryRoot, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
  ) as { datasources: { uid: string }[] };
  const datasourceUids = new Set(provisioned.datasources.map((datasource) => datasource.uid));

  it('are the three of the issue, each with its own uid, every query on the provisioned datasource', () => {
    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual([
      'keel-ledger-reconciliation',
      'keel-payments',
      'keel-pipeline',
    ]);
    for (const { file, dashboard } of dashboards) {
      const targets = panelsOf(dashboard.panels).flatMap((panel) => panel.targets ?? []);
      expect({ file, queries: targets.length > 0 }).toEqual({ file, queries: true });
      const elsewhere = targets.filter((target) => !datasourceUids.has(target.datasource?.uid ?? ''));
      expect({ file, elsewhere }).toEqual({ file, elsewhere: [] });
      expect(targets.every((target) => typeof target.expr === 'string' && target.expr !== '')).toBe(true);
    }
  });

  it('query only series and labels the code registers (scanned registrations and prom-client defaults)', () => {
    const index = seriesIndex(registeredMetrics());
    const problems = dashboards.flatMap(({ file, dashboard }) =>
      panelsOf(dashboard.panels).flatMap((panel) =>
        (panel.targets ?? []).flatMap((target) =>
          unknownNames(target.expr ?? '', index).map((problem) => `${file} "${panel.title}": ${problem}`),
        ),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('query in PromQL that promtool parses', () => {
    const expressions = dashboards.flatMap(({ dashboard }) =>
      panelsOf(dashboard.panels).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? '')),
    );
    // Each query as a recording rule, so promtool's own parser reads it.
    const rules = {
      groups: [
        {
          name: 'dashboard-queries',
          rules: expressions.map((expression, position) => ({
            record: `dashboard:query_${position}`,
            expr: withGrafanaVariablesResolved(expression),
          })),
        },
      ],
    };
    const directory = mkdtempSync(join(tmpdir(), 'keel-dashboards-'));
    try {
      const file = join(directory, 'dashboard-queries.json');
      writeFileSync(file, JSON.stringify(rules));
      expect(runTool(deployTool('promtool'), ['check', 'rules', file])).toContain(
        `SUCCESS: ${expressions.length} rules found`,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
