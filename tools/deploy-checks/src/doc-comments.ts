import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/**
 * The doc comment of each property of class `className` in `file` (relative to `root`) and of the
 * classes it extends, as one line each (a class's own comment wins over its base's): the
 * reference quotes what the code says of each variable, which the runtime cannot see. Base
 * classes are followed through imports, the workspace's path aliases and `export … from`.
 */
export function propertyDocComments(root: string, file: string, className: string): Map<string, string> {
  const declaration = findClass(root, file, className);
  if (declaration === undefined) throw new Error(`class ${className} not found from ${file}`);
  const comments = inheritedComments(root, declaration);
  for (const member of declaration.node.members) {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    const text = ts
      .getJSDocCommentsAndTags(member)
      .filter(ts.isJSDoc)
      .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
      .join(' ');
    if (text !== '') comments.set(member.name.text, text.replace(/\s+/g, ' ').trim());
  }
  return comments;
}

interface ClassInFile {
  readonly file: string;
  readonly source: ts.SourceFile;
  readonly node: ts.ClassDeclaration;
}

function inheritedComments(root: string, declaration: ClassInFile): Map<string, string> {
  const base = declaration.node.heritageClauses?.find(
    (clause) => clause.token === ts.SyntaxKind.ExtendsKeyword,
  )?.types[0]?.expression;
  if (base === undefined || !ts.isIdentifier(base)) return new Map();
  const from = importedFrom(declaration.source, base.text);
  const file = from === undefined ? declaration.file : resolveModule(root, declaration.file, from);
  if (file === undefined) throw new Error(`cannot find ${base.text}, imported by ${declaration.file}`);
  return propertyDocComments(root, file, base.text);
}

function parse(root: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The class in `file` or in a module `file` re-exports it from. */
function findClass(root: string, file: string, className: string): ClassInFile | undefined {
  const source = parse(root, file);
  const node = source.statements.find(
    (statement): statement is ts.ClassDeclaration =>
      ts.isClassDeclaration(statement) && statement.name?.text === className,
  );
  if (node !== undefined) return { file, source, node };
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier === undefined) continue;
    if (!ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const names = statement.exportClause;
    if (names !== undefined && ts.isNamedExports(names)) {
      if (!names.elements.some((element) => element.name.text === className)) continue;
    }
    const target = resolveModule(root, file, statement.moduleSpecifier.text);
    const found = target === undefined ? undefined : findClass(root, target, className);
    if (found !== undefined) return found;
  }
  return undefined;
}

function importedFrom(source: ts.SourceFile, name: string): string | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      if (bindings.elements.some((element) => element.name.text === name))
        return statement.moduleSpecifier.text;
    }
  }
  return undefined;
}

/** A module specifier as a file of the workspace (relative to `root`), through tsconfig's paths. */
function resolveModule(root: string, fromFile: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return withTypeScriptExtension(root, join(dirname(fromFile), specifier));
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, readonly string[]> };
  };
  const [target] = compilerOptions.paths[specifier] ?? [];
  return target === undefined ? undefined : relative(root, join(root, target));
}

function withTypeScriptExtension(root: string, path: string): string | undefined {
  return [`${path}.ts`, join(path, 'index.ts')].find((candidate) => existsSync(join(root, candidate)));
}
