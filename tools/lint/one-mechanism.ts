import ts from 'typescript';

/**
 * Keel has one implementation of each of these mechanisms; this finds code that writes one again.
 * Each rule names the one place the mechanism lives, which is the only file it leaves alone.
 */
export interface MechanismRule {
  readonly name: string;
  /** Where the one implementation is, and what to use instead of writing another. */
  readonly use: string;
  /** Whether the rule looks at this file at all (repository-relative path, forward slashes). */
  readonly applies: (path: string) => boolean;
  /** The offending nodes of one file. */
  readonly find: (file: ts.SourceFile) => readonly ts.Node[];
}

export interface Violation {
  readonly rule: string;
  readonly at: string;
  readonly use: string;
}

const isTestFile = (path: string): boolean =>
  /\.(spec|int-spec|e2e-spec)\.ts$/.test(path) || /(^|\/)test\//.test(path);
const isServiceCode = (path: string): boolean => /^(apps|libs)\//.test(path) && !isTestFile(path);

function nodesWhere(within: ts.Node, matches: (node: ts.Node) => boolean): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (matches(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(within);
  return found;
}

const isCallTo = (node: ts.Node, name: string): node is ts.CallExpression =>
  ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name;

/** `new Promise((resolve) => setTimeout(resolve, ms))`, also as `setTimeout(() => resolve(), ms)`. */
function isHandWrittenSleep(node: ts.Node): boolean {
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'Promise') {
    return false;
  }
  const executor = node.arguments?.[0];
  if (executor === undefined || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) {
    return false;
  }
  const resolve = executor.parameters[0]?.name;
  if (resolve === undefined || !ts.isIdentifier(resolve)) return false;
  const resolves = (callback: ts.Expression | undefined): boolean =>
    callback !== undefined &&
    ((ts.isIdentifier(callback) && callback.text === resolve.text) ||
      (ts.isArrowFunction(callback) &&
        callback.parameters.length === 0 &&
        isCallTo(callback.body, resolve.text) &&
        callback.body.arguments.length === 0));
  return nodesWhere(executor, (inner) => isCallTo(inner, 'setTimeout')).some((call) =>
    resolves((call as ts.CallExpression).arguments[0]),
  );
}

/** `2 ** attempt` or `Math.pow(2, attempt)`: an exponent that grows, as backoff's does. */
function isExponentialGrowth(node: ts.Node): boolean {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken) {
    return ts.isNumericLiteral(node.left) && node.left.text === '2' && !ts.isNumericLiteral(node.right);
  }
  return (
    ts.isCallExpression(node) &&
    node.expression.getText() === 'Math.pow' &&
    node.arguments[0]?.getText() === '2' &&
    node.arguments[1] !== undefined &&
    !ts.isNumericLiteral(node.arguments[1])
  );
}

/** `Buffer.from(text, 'base64url')` or `Buffer.from(…).toString('base64url')`. */
function isBase64UrlOfBuffer(node: ts.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  const lastArgument = node.arguments.at(-1);
  if (lastArgument === undefined || !ts.isStringLiteral(lastArgument) || lastArgument.text !== 'base64url') {
    return false;
  }
  const callee = node.expression.getText();
  if (callee === 'Buffer.from') return true;
  return (
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'toString' &&
    ts.isCallExpression(node.expression.expression) &&
    node.expression.expression.expression.getText() === 'Buffer.from'
  );
}

/** A regular expression for a trace id or a parent id: 32 or 16 lower-case hex digits. */
function isTraceIdPattern(node: ts.Node): boolean {
  return ts.isRegularExpressionLiteral(node) && /\[0-9a-f\]\{(32|16)\}/.test(node.text);
}

/** A function named for a percentile or a median that sorts its values: a percentile written again. */
function isHandWrittenPercentile(node: ts.Node): boolean {
  const named = (name: ts.Node | undefined): boolean =>
    name !== undefined && ts.isIdentifier(name) && /^(percentile|median|quantile)/i.test(name.text);
  const body =
    ts.isFunctionDeclaration(node) && named(node.name)
      ? node.body
      : ts.isVariableDeclaration(node) &&
          named(node.name) &&
          node.initializer !== undefined &&
          (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
        ? node.initializer.body
        : undefined;
  if (body === undefined) return false;
  return (
    nodesWhere(body, (inner) => ts.isCallExpression(inner) && inner.expression.getText().endsWith('.sort'))
      .length > 0
  );
}

/** mulberry32's increment: a copy of the seeded generator. */
const isMulberry32 = (node: ts.Node): boolean =>
  ts.isNumericLiteral(node) && Number(node.text.replace(/_/g, '')) === 0x6d2b79f5;

const usesFakeTimers = (file: ts.SourceFile): boolean => file.text.includes('jest.useFakeTimers(');

export const MECHANISM_RULES: readonly MechanismRule[] = [
  {
    name: 'sleep',
    use: "setTimeout from 'node:timers/promises' (with { signal } to cut a wait short)",
    applies: () => true,
    // jest fakes the global setTimeout but not node:timers/promises: a spec on fake timers waits
    // on the global one.
    find: (file) => (usesFakeTimers(file) ? [] : nodesWhere(file, isHandWrittenSleep)),
  },
  {
    name: 'periodic task',
    use: 'PeriodicTask from @keel/platform (libs/platform/src/periodic-task.ts)',
    applies: (path) => isServiceCode(path) && path !== 'libs/platform/src/periodic-task.ts',
    find: (file) => nodesWhere(file, (node) => isCallTo(node, 'setInterval')),
  },
  {
    name: 'backoff',
    use: '@keel/backoff (libs/backoff/src/backoff.ts)',
    applies: (path) => path !== 'libs/backoff/src/backoff.ts',
    find: (file) => nodesWhere(file, isExponentialGrowth),
  },
  {
    name: 'page cursor',
    use: 'encodePageCursor / decodePageCursor / pageOf from @keel/contracts (libs/contracts/src/page-cursor.ts)',
    // Operator tokens base64url their claims: a signed credential's wire format, not a page cursor.
    applies: (path) =>
      isServiceCode(path) &&
      path !== 'libs/contracts/src/page-cursor.ts' &&
      path !== 'libs/operator-auth/src/operator-token.ts',
    find: (file) => nodesWhere(file, isBase64UrlOfBuffer),
  },
  {
    name: 'traceparent',
    use: 'parseTraceparent from @keel/contracts (libs/contracts/src/traceparent.util.ts)',
    applies: (path) => !isTestFile(path) && path !== 'libs/contracts/src/traceparent.util.ts',
    find: (file) => nodesWhere(file, isTraceIdPattern),
  },
  {
    name: 'percentile',
    use: 'percentile from @keel/traffic (libs/traffic/src/percentile.ts)',
    applies: (path) => path !== 'libs/traffic/src/percentile.ts',
    find: (file) => nodesWhere(file, isHandWrittenPercentile),
  },
  {
    name: 'seeded random',
    use: 'SeededRandom from @keel/seeded-random (libs/seeded-random/src/seeded-random.ts)',
    applies: (path) => path !== 'libs/seeded-random/src/seeded-random.ts',
    find: (file) => nodesWhere(file, isMulberry32),
  },
];

/** Every place in `text` (the file at `path`) where a rule finds its mechanism written again. */
export function mechanismViolations(path: string, text: string): Violation[] {
  // This file spells out what each rule looks for.
  if (path === 'tools/lint/one-mechanism.ts') return [];
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return MECHANISM_RULES.filter((rule) => rule.applies(path)).flatMap((rule) =>
    rule.find(file).map((node) => {
      const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
      return { rule: rule.name, at: `${path}:${line}`, use: rule.use };
    }),
  );
}
