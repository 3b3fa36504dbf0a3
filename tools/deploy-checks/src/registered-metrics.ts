import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import ts from 'typescript';
import { repositoryRoot } from './environment-classes';
import { sourceFilesUnder } from './repository-files';

/** A metric family some code registers, with the labels it declares (`service` is added to all). */
export interface RegisteredMetric {
  readonly name: string;
  readonly kind: 'counter' | 'gauge' | 'histogram';
  readonly labels: ReadonlySet<string>;
  /** Where it is registered: file:line, or prom-client for the runtime's default metrics. */
  readonly where: string;
}

/** The one way Keel registers a metric (libs/observability); each call is found in the source. */
const REGISTRATIONS: Readonly<Record<string, RegisteredMetric['kind']>> = {
  getOrCreateCounter: 'counter',
  getOrCreateGauge: 'gauge',
  getOrCreateHistogram: 'histogram',
};

/** Every registry's label (createMetricsRegistry) and the ones Prometheus adds at scrape. */
export const LABELS_ON_EVERY_SERIES = ['service', 'job', 'instance'];

/**
 * Every metric the code registers, read from the source without starting anything: each call of
 * getOrCreateCounter/Gauge/Histogram in apps/ and libs/ (tests aside), its `name` resolved to string
 * literals (a constant of the file, or the tuples a loop takes it from) and its `labelNames`; plus
 * prom-client's default runtime metrics, which createMetricsRegistry turns on, taken from a registry
 * of its own. A registration whose name cannot be resolved throws, so none is silently missed.
 */
export function registeredMetrics(): RegisteredMetric[] {
  const files = [...sourceFilesUnder('apps'), ...sourceFilesUnder('libs')].filter(
    (file) => !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file) && !/\/test\//.test(file),
  );
  return [...files.flatMap(registrationsIn), ...runtimeMetrics()];
}

function registrationsIn(file: string): RegisteredMetric[] {
  const text = readFileSync(join(repositoryRoot, file), 'utf8');
  if (!Object.keys(REGISTRATIONS).some((call) => text.includes(call))) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: RegisteredMetric[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const kind = REGISTRATIONS[node.expression.text];
      const options = node.arguments[1];
      if (kind !== undefined && options !== undefined && ts.isObjectLiteralExpression(options)) {
        const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const labels = new Set(stringsOf(property(options, 'labelNames'), source, where));
        for (const name of stringsOf(property(options, 'name'), source, where)) {
          found.push({ name, kind, labels, where });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function property(literal: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const element of literal.properties) {
    if (ts.isPropertyAssignment(element) && ts.isIdentifier(element.name) && element.name.text === name) {
      return element.initializer;
    }
    if (ts.isShorthandPropertyAssignment(element) && element.name.text === name) return element.name;
  }
  return undefined;
}

/** The string values an expression can take: literals, arrays of them, or constants that hold them. */
function stringsOf(expression: ts.Expression | undefined, source: ts.SourceFile, where: string): string[] {
  if (expression === undefined) return [];
  const inner = withoutAssertions(expression);
  if (ts.isStringLiteralLike(inner)) return [inner.text];
  if (ts.isArrayLiteralExpression(inner)) {
    return inner.elements.flatMap((element) => stringsOf(element, source, where));
  }
  if (ts.isIdentifier(inner)) return valuesOfIdentifier(inner, source, where);
  throw new Error(`${where}: a metric registration whose name or labels are not literal strings`);
}

function withoutAssertions(expression: ts.Expression): ts.Expression {
  let inner = expression;
  while (ts.isAsExpression(inner) || ts.isParenthesizedExpression(inner) || ts.isSatisfiesExpression(inner)) {
    inner = inner.expression;
  }
  return inner;
}

/**
 * An identifier's values: a `const` of the file holding strings, or an element of a `for (const [a,
 * b] of TUPLES)` whose TUPLES is a constant array literal of tuples (each tuple's element at the
 * identifier's position).
 */
function valuesOfIdentifier(identifier: ts.Identifier, source: ts.SourceFile, where: string): string[] {
  const name = identifier.text;
  let values: string[] | undefined;
  const visit = (node: ts.Node): void => {
    if (values !== undefined) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) {
      if (node.initializer !== undefined) values = stringsOf(node.initializer, source, where);
    } else if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
      const binding = node.initializer.declarations[0]?.name;
      if (binding !== undefined && ts.isArrayBindingPattern(binding)) {
        const position = binding.elements.findIndex(
          (element) =>
            ts.isBindingElement(element) && ts.isIdentifier(element.name) && element.name.text === name,
        );
        if (position >= 0) values = tupleElements(node.expression, position, source, where);
      }
    }
    if (values === undefined) ts.forEachChild(node, visit);
  };
  visit(source);
  if (values === undefined) throw new Error(`${where}: cannot resolve ${name} to literal strings`);
  return values;
}

function tupleElements(
  expression: ts.Expression,
  position: number,
  source: ts.SourceFile,
  where: string,
): string[] {
  let tuples = withoutAssertions(expression);
  if (ts.isIdentifier(tuples)) {
    const declaration = findConstant(tuples.text, source);
    if (declaration?.initializer === undefined) throw new Error(`${where}: cannot resolve ${tuples.text}`);
    tuples = withoutAssertions(declaration.initializer);
  }
  if (!ts.isArrayLiteralExpression(tuples)) throw new Error(`${where}: metric names from a non-literal list`);
  return tuples.elements.flatMap((tuple) => {
    const inner = withoutAssertions(tuple);
    if (!ts.isArrayLiteralExpression(inner)) throw new Error(`${where}: metric names from a non-tuple`);
    return stringsOf(inner.elements[position], source, where);
  });
}

function findConstant(name: string, source: ts.SourceFile): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** prom-client's default metrics (process and Node.js runtime), as createMetricsRegistry collects them. */
function runtimeMetrics(): RegisteredMetric[] {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry.getMetricsAsArray().map((metric) => {
    const labels = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    const kind = metric instanceof Histogram ? 'histogram' : metric instanceof Counter ? 'counter' : 'gauge';
    return { name: metric.name, kind, labels: new Set(labels), where: 'prom-client default metrics' };
  });
}

/** The series names a metric family exposes (a histogram's _bucket, _sum and _count). */
export function seriesNamesOf(metric: RegisteredMetric): string[] {
  if (metric.kind === 'histogram')
    return [metric.name, `${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`];
  return [metric.name];
}
