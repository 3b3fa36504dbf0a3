import { posix } from 'node:path';
import ts from 'typescript';

/*
 * An app's `src` is made of feature folders and a few files beside them (the module, the
 * environment, the settings, the errors). A folder may use another, but two that use each other,
 * directly or round a loop, are one feature cut in two; this finds such loops. The nodes are the
 * top-level folders of `apps/<app>/src` and the files directly in it; an edge is a relative import
 * (type-only, re-export and `import()` included) from production code of one node into another.
 * Specs and fixtures are left out: a test may reach across the features it drives.
 */

export interface SourceFile {
  /** Repository-relative, forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** One import that makes an edge, as evidence: `http/payments.controller.ts → payments/payment-query.service`. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly via: string;
}

const isProductionCode = (path: string): boolean =>
  path.endsWith('.ts') &&
  !path.endsWith('.d.ts') &&
  !/\.(spec|int-spec|e2e-spec)\.ts$/.test(path) &&
  !/(^|\/)__fixtures__\//.test(path);

/** Every module specifier of the file: imports, re-exports, `import()` and `import x = require()`. */
export function moduleSpecifiers(path: string, text: string): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The node a path inside `src` belongs to: its top-level folder, or the file itself when it sits in `src`. */
function nodeOf(relativeToSrc: string, files: ReadonlySet<string>, src: string): string {
  const [first = '', ...rest] = relativeToSrc.split('/');
  if (rest.length > 0) return first;
  return files.has(`${src}/${first}.ts`) ? `${first}.ts` : first;
}

function edgesOf(src: string, files: readonly SourceFile[]): Edge[] {
  const paths = new Set(files.map((file) => file.path));
  const edges: Edge[] = [];
  for (const file of files) {
    const from = nodeOf(posix.relative(src, file.path), paths, src);
    for (const specifier of moduleSpecifiers(file.path, file.text)) {
      if (!specifier.startsWith('.')) continue;
      const target = posix.relative(src, posix.join(posix.dirname(file.path), specifier));
      if (target === '' || target.startsWith('..')) continue;
      const to = nodeOf(target, paths, src);
      if (to !== from) edges.push({ from, to, via: `${posix.relative(src, file.path)} → ${target}` });
    }
  }
  return edges;
}

/** Tarjan's strongly connected components with more than one node: each holds at least one cycle. */
function tangledGroups(nodes: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return groups;
}

/** The shortest way back from `start` to itself inside `group` (breadth first), as its nodes. */
function shortestCycle(
  start: string,
  group: ReadonlySet<string>,
  next: ReadonlyMap<string, readonly string[]>,
): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    for (const to of next.get(at) ?? []) {
      if (!group.has(to)) continue;
      if (to === start) {
        const path = [at];
        for (let step = cameFrom.get(at); step !== undefined; step = cameFrom.get(step)) path.unshift(step);
        return [...path, start];
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, at);
        queue.push(to);
      }
    }
  }
  return [start];
}

/**
 * The import cycles between the top-level folders of one app, one line each:
 * `apps/payment/src: http → payments → http (http/payments.controller.ts → payments/payment-query.service;
 * payments/payment-intake.service.ts → http/create-payment.dto)`.
 */
export function folderCycles(src: string, files: readonly SourceFile[]): string[] {
  const production = files.filter((file) => file.path.startsWith(`${src}/`) && isProductionCode(file.path));
  const edges = edgesOf(src, production);
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const targets = next.get(from) ?? [];
    if (!targets.includes(to)) next.set(from, [...targets, to].sort());
  }
  const nodes = [...next.keys()].sort();
  return tangledGroups(nodes, next).map((group) => {
    const cycle = shortestCycle(group[0] ?? '', new Set(group), next);
    const evidence = cycle.slice(1).map((to, step) => {
      const from = cycle[step];
      return edges.find((edge) => edge.from === from && edge.to === to)?.via ?? `${from} → ${to}`;
    });
    const others = group.filter((node) => !cycle.includes(node));
    const also = others.length === 0 ? '' : `; tangled with it: ${others.join(', ')}`;
    return `${src}: ${cycle.join(' → ')} (${evidence.join('; ')})${also}`;
  });
}
