import ts from 'typescript';

/** The syntax the wiring edits and reads look for, shared by both. */
export function parse(source: string): ts.SourceFile {
  return ts.createSourceFile('edited.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

export function descendants(node: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (child: ts.Node): void => {
    found.push(child);
    child.forEachChild(visit);
  };
  node.forEachChild(visit);
  return found;
}

/** The expression under `as const`, `satisfies`, type assertions and parentheses. */
export function unwrapped(expression: ts.Expression): ts.Expression {
  if (
    ts.isAsExpression(expression) ||
    ts.isSatisfiesExpression(expression) ||
    ts.isParenthesizedExpression(expression) ||
    ts.isTypeAssertionExpression(expression)
  ) {
    return unwrapped(expression.expression);
  }
  return expression;
}

export function nameOf(node: ts.Node): string | undefined {
  const name = (node as { name?: ts.Node }).name;
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

export function initializerOf(root: ts.Node, variableName: string): ts.Expression | undefined {
  const declaration = descendants(root).find(
    (node): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && nameOf(node) === variableName,
  );
  return declaration?.initializer === undefined ? undefined : unwrapped(declaration.initializer);
}

export function functionNamed(root: ts.Node, functionName: string): ts.Node | undefined {
  return descendants(root).find(
    (node) =>
      (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && nameOf(node) === functionName,
  );
}

export function returnedExpressions(functionNode: ts.Node): ts.Expression[] {
  return descendants(functionNode)
    .filter((node): node is ts.ReturnStatement => ts.isReturnStatement(node))
    .flatMap((statement) => (statement.expression === undefined ? [] : [unwrapped(statement.expression)]));
}
