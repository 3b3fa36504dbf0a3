/** Words of PromQL that are not series names: aggregations' modifiers, set operators, offsets. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** Grafana's interval variables, which PromQL itself does not know, as a duration it accepts. */
export function withGrafanaVariablesResolved(expression: string): string {
  return expression.replace(/\$__(rate_interval|interval|range)\b/g, '5m');
}

/** What an expression selects: the series names it reads and the label names it matches or groups by. */
export interface SelectedNames {
  readonly metrics: ReadonlySet<string>;
  readonly labels: ReadonlySet<string>;
}

/**
 * The series and label names a PromQL expression reads. Not a parser (promtool parses the same
 * expressions, see the dashboards spec): it drops strings, durations and numbers, takes label names
 * from `{…}` matchers and from `by`/`without`/`on`/`ignoring`/`group_*` lists, and reads every other
 * identifier not followed by `(` (a function) as a series name.
 */
export function selectedNames(expression: string): SelectedNames {
  const labels = new Set<string>();
  let rest = withGrafanaVariablesResolved(expression).replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  rest = rest.replace(/\{([^}]*)\}/g, (_match, matchers: string) => {
    for (const [, label] of matchers.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g))
      labels.add(label ?? '');
    return ' ';
  });
  rest = rest.replace(
    /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_match, _keyword: string, list: string) => {
      for (const label of list.split(',').map((name) => name.trim())) if (label !== '') labels.add(label);
      return ' ';
    },
  );
  rest = rest
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(\d+(ms|s|m|h|d|w|y))+\b/g, ' ')
    .replace(/\b\d+(\.\d+)?([eE][+-]?\d+)?\b/g, ' ');
  const metrics = new Set<string>();
  for (const match of rest.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)) {
    const [, name, call] = match;
    if (name === undefined || call !== undefined || KEYWORDS.has(name.toLowerCase())) continue;
    metrics.add(name);
  }
  return { metrics, labels };
}
